/**
 * Every read of a ws private field, in one place. The game socket needs these that ws does not
 * export: the TCP socket (`_socket`, to write pre-framed buffers), the frame parser (`_receiver`,
 * to hear why ws refuses a frame before it closes), the close code ws attaches to that error
 * (the `status-code` symbol), and for the receive path (ws-receive.ts) ws's 'data' listener on
 * the socket (`socketOnData`) and whether its parser is between frames with nothing buffered. `checkWsInternals` runs at boot (buildApp) on a real ws WebSocket and
 * a real refused frame, so a ws upgrade that renames one fails at start, not silently in a room.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** The connection's TCP socket, or null once ws let go of it. */
export function tcpSocketOf(ws: WebSocket): Socket | null {
  return (ws as unknown as { _socket: Socket | null })._socket;
}

/** ws's frame parser for the connection (it emits 'error' for a refused frame), or null. */
export function frameParserOf(ws: WebSocket): EventEmitter | null {
  return (ws as unknown as { _receiver: EventEmitter | null })._receiver;
}

/** The close code ws chose for a frame error (1002, 1007, 1009...), or undefined. */
export function closeCodeOf(err: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(err).find((s) => s.description === 'status-code');
  const code = key && (err as unknown as Record<symbol, unknown>)[key];
  return typeof code === 'number' ? code : undefined;
}

/** The ws frame parser fields that say it is between frames with nothing held (ws 8: lib/receiver.js). */
interface ReceiverState {
  _state: number;
  _bufferedBytes: number;
  _fragmented: number;
  _errored: boolean;
  _writableState: { length: number };
}
/** The parser's state between frames (GET_INFO). */
const GET_INFO = 0;

export interface FrameFeed {
  tcp: Socket;
  /** ws's own 'data' listener: feeds a chunk to its frame parser. */
  wsOnData: (this: Socket, chunk: Buffer) => void;
  /** The parser is between frames, holds nothing, and is not inside a fragmented message. */
  idle(): boolean;
}

/** What ws-receive.ts needs to take the socket's data before ws, or null if ws does not look as expected. */
export function frameFeedOf(ws: WebSocket): FrameFeed | null {
  const tcp = tcpSocketOf(ws);
  const r = frameParserOf(ws) as unknown as ReceiverState | null;
  const wsOnData = (typeof tcp?.listeners === 'function' ? tcp.listeners('data') : []).find((f) => f.name === 'socketOnData') as FrameFeed['wsOnData'] | undefined;
  if (
    !tcp ||
    !r ||
    !wsOnData ||
    typeof r._state !== 'number' ||
    typeof r._bufferedBytes !== 'number' ||
    typeof r._fragmented !== 'number' ||
    typeof r._writableState?.length !== 'number'
  ) {
    return null;
  }
  return {
    tcp,
    wsOnData,
    idle: () => frameParserIdle(ws),
  };
}

/** Whether ws's frame parser is between frames with nothing held (false when it cannot tell). */
export function frameParserIdle(ws: WebSocket): boolean {
  const r = frameParserOf(ws) as unknown as ReceiverState | null;
  return !!r && r._state === GET_INFO && r._bufferedBytes === 0 && r._fragmented === 0 && !r._errored && r._writableState?.length === 0;
}

export class WsInternalsError extends Error {
  constructor(problems: string[]) {
    super(`the installed ws no longer has what the game socket reads (server/src/transport/ws-internals.ts): ${problems.join('; ')}`);
    this.name = 'WsInternalsError';
  }
}

/**
 * Throws WsInternalsError unless `ws` (a server-side WebSocket set on `socket`) exposes its socket
 * and frame parser, and `frameError` (what its parser emitted for a broken frame) carries a close code.
 */
export function assertWsInternals(ws: WebSocket, socket: object, frameError: Error | undefined, feed: FrameFeed | null = frameFeedOf(ws)): void {
  const problems: string[] = [];
  if (tcpSocketOf(ws) !== socket) problems.push('WebSocket._socket is not the connection socket');
  if (!(frameParserOf(ws) instanceof EventEmitter)) problems.push('WebSocket._receiver is not an event emitter');
  if (!feed) problems.push("the socket has no 'data' listener named socketOnData, or the frame parser lacks _state, _bufferedBytes, _fragmented, _writableState");
  if (!frameError) problems.push('the frame parser emitted no error for a frame with RSV2 set');
  else if (closeCodeOf(frameError) !== 1002) problems.push('a frame error carries no "status-code" symbol with 1002');
  if (problems.length > 0) throw new WsInternalsError(problems);
}

/** Builds a real server-side ws WebSocket over an in-memory stream, feeds it a broken frame, and checks. */
export async function checkWsInternals(): Promise<void> {
  const socket = new Duplex({ read() {}, write: (_chunk, _enc, done) => done() });
  const ws = new WebSocket(null as unknown as string, undefined, { autoPong: true });
  ws.on('error', () => {}); // ws reports the refused frame here too
  (ws as unknown as { setSocket(s: Duplex, head: Buffer, o: object): void }).setSocket(socket, Buffer.alloc(0), { maxPayload: 0 });
  // Read before the broken frame below: ws lets go of the socket once it refused a frame.
  const feed = frameFeedOf(ws);
  const frameError = await new Promise<Error | undefined>((resolve) => {
    const parser = frameParserOf(ws);
    if (!(parser instanceof EventEmitter)) return resolve(undefined);
    const timer = setTimeout(() => resolve(undefined), 1000);
    parser.prependListener('error', (err: Error) => {
      clearTimeout(timer);
      resolve(err);
    });
    socket.push(Buffer.from([0xa2, 0x00])); // FIN + RSV2 + binary, empty: RSV2 must be clear (1002)
  });
  try {
    assertWsInternals(ws, socket, frameError, feed);
  } finally {
    socket.destroy();
  }
}
