/**
 * The `--decode header` client: the same protocol surface as the shared GameClient, but it reads
 * only the 9-byte header of each patch (type, tick, acknowledged input) and never decodes the
 * schema, so one machine can hold thousands of connections for capacity runs. Everything else
 * (matchmaking, the socket, inputs, pings, acks) is the browser's path unchanged.
 */
import {
  PATCH_HEADER_BYTES,
  ServerMessage,
  decodeServerMessage,
  encodeInput,
  encodeLeave,
  encodePing,
  type GameClientEvents,
  type ModeDefinition,
  type SocketLike,
} from '@tickforge/shared';

export class HeaderClient<I> {
  playerId = 0;
  tick = 0;
  ack = 0;
  seq = 0;
  welcomed = false;
  patches = 0;

  constructor(
    readonly mode: ModeDefinition<any, I>,
    readonly socket: SocketLike,
    private readonly events: GameClientEvents = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    // Node buffers as they come off the socket: no copy into an ArrayBuffer.
    socket.binaryType = 'nodebuffer';
    socket.onmessage = (ev) => this.receive(ev.data as Uint8Array);
    socket.onclose = (ev) => events.onClose?.(ev.code, ev.reason);
    socket.onerror = () => {};
  }

  sendInput(input: I): number {
    this.seq++;
    this.send(encodeInput(this.mode.input, this.seq, input));
    return this.seq;
  }
  ping(): void {
    this.send(encodePing(this.now()));
  }
  leave(): void {
    this.send(encodeLeave());
  }
  send(bytes: Uint8Array): void {
    if (this.socket.readyState === 1) this.socket.send(bytes);
  }
  close(): void {
    this.socket.close(1000, 'bye');
  }

  private receive(bytes: Uint8Array): void {
    const type = bytes[0];
    if (type === ServerMessage.PATCH || type === ServerMessage.RESYNC) {
      if (bytes.byteLength < PATCH_HEADER_BYTES) throw new Error(`patch of ${bytes.byteLength} bytes is shorter than its header`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, PATCH_HEADER_BYTES);
      this.tick = view.getUint32(1, true);
      this.ack = view.getUint32(5, true);
      this.patches++;
      this.events.onPatch?.(this as never, this.tick, bytes.byteLength);
      return;
    }
    if (type === ServerMessage.PONG) {
      if (bytes.byteLength !== 17) throw new Error(`pong of ${bytes.byteLength} bytes`);
      const clientTime = new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getFloat64(0, true);
      this.events.onPong?.(this.now() - clientTime, 0);
      return;
    }
    // Rare messages (welcome, error, chat) go through the shared decoder; the welcome's state is
    // left undecoded.
    const msg = decodeServerMessage(bytes);
    if (msg.type === ServerMessage.WELCOME) {
      this.playerId = msg.playerId;
      this.tick = msg.tick;
      this.welcomed = true;
      this.events.onWelcome?.(this as never);
    } else if (msg.type === ServerMessage.ERROR) {
      this.events.onError?.(msg.code, msg.message);
    }
  }
}
