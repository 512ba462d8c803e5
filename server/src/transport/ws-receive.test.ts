import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { receiveBinaryFrames } from './ws-receive';

/** A client frame: FIN, `opcode`, masked with `mask`, 7-bit length. */
function frame(opcode: number, payload: number[], mask = [0x11, 0x22, 0x33, 0x44], fin = true): Buffer {
  const out = Buffer.alloc(6 + payload.length);
  out[0] = (fin ? 0x80 : 0) | opcode;
  out[1] = 0x80 | payload.length;
  mask.forEach((m, i) => (out[2 + i] = m));
  payload.forEach((b, i) => (out[6 + i] = b ^ mask[i & 3]!));
  return out;
}

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** A ws server whose connection uses the fast path, and a raw TCP client past the handshake. */
async function pair() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 512 });
  await once(wss, 'listening');
  const got: Array<{ via: string; bytes: number[] }> = [];
  let installed = false;
  let server!: WebSocket;
  const connected = new Promise<void>((resolve) =>
    wss.on('connection', (ws) => {
      server = ws;
      ws.on('error', () => {}); // a refused frame: ws closes with its code (the game socket logs it)
      ws.on('message', (data: Buffer, isBinary) => got.push({ via: isBinary ? 'ws' : 'ws-text', bytes: [...data] }));
      installed = receiveBinaryFrames(ws, (data) => got.push({ via: 'fast', bytes: [...data] }));
      resolve();
    }),
  );
  const tcp: Socket = connect((wss.address() as { port: number }).port, '127.0.0.1');
  await once(tcp, 'connect');
  tcp.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  const received: Buffer[] = [];
  tcp.on('data', (d: Buffer) => received.push(d));
  await connected;
  cleanup.push(
    () => tcp.destroy(),
    () => wss.close(),
  );
  const settle = () => new Promise((r) => setTimeout(r, 50));
  return { got, tcp, received, settle, server: () => server, installed: () => installed };
}

describe('receiveBinaryFrames (the game socket receive path)', () => {
  it('delivers small binary frames itself, in order, and hands everything else to ws at frame boundaries', async () => {
    const p = await pair();
    expect(p.installed()).toBe(true);
    const a = frame(0x2, [0x10, 1, 2, 3]);
    const b = frame(0x2, [0x10, 4, 5]);
    const ping = frame(0x9, [7]);
    const c = frame(0x2, [0x10, 6]);
    const big = frame(
      0x2,
      Array.from({ length: 125 }, (_, i) => i),
    ); // the largest 7-bit length
    // Two frames and a ping in one chunk, then one frame split across two chunks, then a 125-byte one.
    p.tcp.write(Buffer.concat([a, b, ping, c.subarray(0, 3)]));
    await p.settle();
    p.tcp.write(Buffer.concat([c.subarray(3), big]));
    await p.settle();
    p.tcp.write(frame(0x2, [0x10, 9]));
    await p.settle();
    expect(p.got.map((g) => g.bytes)).toEqual([[0x10, 1, 2, 3], [0x10, 4, 5], [0x10, 6], Array.from({ length: 125 }, (_, i) => i), [0x10, 9]]);
    // a and b on the fast path; from the ping on ws parses each chunk that arrives while it holds a
    // partial frame; the next chunk starts at a frame boundary with ws holding nothing: fast again.
    expect(p.got.map((g) => g.via)).toEqual(['fast', 'fast', 'ws', 'ws', 'fast']);
    // ws still answered the ping (a pong frame: 0x8a).
    expect(Buffer.concat(p.received).includes(Buffer.from([0x8a, 0x01, 7]))).toBe(true);
  });

  it('leaves text, fragments and unmasked frames to ws, which refuses what is broken with its close code', async () => {
    const p = await pair();
    p.tcp.write(Buffer.concat([frame(0x1, [0x68, 0x69]), frame(0x2, [1], undefined, false), frame(0x0, [2])]));
    await p.settle();
    expect(p.got).toEqual([
      { via: 'ws-text', bytes: [0x68, 0x69] },
      { via: 'ws', bytes: [1, 2] },
    ]);
    const closed = new Promise<void>((resolve) => p.server().on('close', () => resolve()));
    p.tcp.write(Buffer.from([0x82, 0x01, 0x05])); // unmasked: a protocol error
    await closed;
    // ws sent its close frame: 1002 (protocol error).
    const bytes = Buffer.concat(p.received);
    const at = bytes.indexOf(0x88);
    expect(at).toBeGreaterThan(0);
    expect(bytes.readUInt16BE(at + 2)).toBe(1002);
  });
});
