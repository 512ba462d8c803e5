/**
 * A WebSocket client written by hand on a raw TCP socket, for the clients `ws` will not play:
 * one that completes the handshake and then stops reading (pause), and reads the server's frames
 * byte-exactly once it resumes. Client frames are not needed by the tests that use it.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawFrame {
  opcode: number;
  payload: Buffer;
  /** Date.now() when the frame was parsed. */
  at: number;
}

export class RawWebSocket {
  readonly frames: RawFrame[] = [];
  bytesRead = 0;
  private pending: Buffer = Buffer.alloc(0);
  private upgraded = false;
  private refusal: string | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
  }

  /** Opens `path` on 127.0.0.1:`port` and resolves once the server answered 101. */
  static async open(port: number, path: string): Promise<RawWebSocket> {
    const socket = connect(port, '127.0.0.1');
    const raw = new RawWebSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const deadline = Date.now() + 5000;
    while (!raw.upgraded) {
      if (raw.refusal) throw new Error(`upgrade refused: ${raw.refusal}`);
      if (Date.now() > deadline) throw new Error('no 101 from the server');
      await new Promise((r) => setTimeout(r, 5));
    }
    return raw;
  }

  /** Binary messages (opcode 2) received so far. */
  get messages(): RawFrame[] {
    return this.frames.filter((f) => f.opcode === 2);
  }

  /** The close frame's code and reason, once one arrived. */
  get close(): { code: number; reason: string } | undefined {
    const f = this.frames.find((x) => x.opcode === 8);
    return f && { code: f.payload.readUInt16BE(0), reason: f.payload.subarray(2).toString() };
  }

  private onData(chunk: Buffer): void {
    this.bytesRead += chunk.byteLength;
    this.pending = this.pending.byteLength ? Buffer.concat([this.pending, chunk]) : chunk;
    if (!this.upgraded) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.pending.subarray(0, end).toString();
      if (!head.startsWith('HTTP/1.1 101')) {
        this.refusal = head.split('\r\n')[0];
        return;
      }
      this.upgraded = true;
      this.pending = this.pending.subarray(end + 4);
    }
    // Server frames are unmasked: 2-byte header, then 16- or 64-bit extended length.
    for (;;) {
      const b = this.pending;
      if (b.byteLength < 2) return;
      let len = b[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.byteLength < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.byteLength < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.byteLength < at + len) return;
      this.frames.push({ opcode: b[0]! & 0x0f, payload: Buffer.from(b.subarray(at, at + len)), at: Date.now() });
      this.pending = b.subarray(at + len);
    }
  }
}
