/**
 * The game socket: binds one WebSocket to one player of one room. It checks the seat token (or the
 * reconnect token of a dropped player), turns the room's messages into WebSocket frames, and feeds
 * the client's binary messages to the room. Text frames close with 1003; frames ws refuses (over
 * maxPayload: 1009, bad UTF-8: 1007, broken framing: 1002) are closed by ws itself.
 */
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { CloseCode, PATCH_HEADER_BYTES, writePatchHeader } from '@tickforge/shared';
import type { Clock } from './clock';
import type { TrafficStats } from './metrics';
import type { AttachResult, ClientSink, RoomClient } from './room';
import type { RoomRegistry } from './room-registry';
import type { SeatTokens } from './seat-tokens';
import { receiveBinaryFrames } from './transport/ws-receive';

export interface GameSocketDeps {
  registry: RoomRegistry;
  tokens: SeatTokens;
  clock: Clock;
  traffic: TrafficStats;
}

/** How the client presents itself: `?token=` from matchmaking, or `?reconnect=` from its last WELCOME. */
export interface GameSocketQuery {
  token?: string;
  reconnect?: string;
}

const TOKEN_REFUSALS = {
  malformed: [CloseCode.SEAT_INVALID, 'seat token malformed'],
  forged: [CloseCode.SEAT_INVALID, 'seat token signature invalid'],
  expired: [CloseCode.SEAT_EXPIRED, 'seat token expired'],
} as const;

/** What ws reports when a connection ended without a close frame (RFC 6455 §7.1.5). */
const ABNORMAL_CLOSURE = 1006;

const RECONNECT_REFUSALS = {
  malformed: [CloseCode.SEAT_INVALID, 'reconnect token malformed'],
  forged: [CloseCode.SEAT_INVALID, 'reconnect token signature invalid'],
} as const;

export function acceptGameSocket(ws: WebSocket, query: GameSocketQuery, deps: GameSocketDeps): void {
  const { traffic } = deps;
  let client: RoomClient | undefined;
  let room: ReturnType<RoomRegistry['get']>;
  explainFrameErrors(ws, traffic);
  ws.on('error', (err: Error & { code?: string }) => {
    // A frame ws refused (WS_ERR_*) is the client breaking the protocol; anything else (reset,
    // broken pipe) is the connection dropping.
    if (client && room) room.detach(client, err.code?.startsWith('WS_ERR_') ? 'kicked' : 'dropped');
  });
  const refuse = ([code, reason]: readonly [number, string]) => {
    traffic.countClose(code);
    ws.close(code, reason);
  };

  const sink = webSocketSink(ws, traffic);
  let attached: AttachResult;
  if (query.reconnect) {
    const check = deps.tokens.verifyReconnect(query.reconnect);
    if (!check.ok) return refuse(RECONNECT_REFUSALS[check.reason]);
    room = deps.registry.get(check.claim.roomId);
    if (!room) return refuse([CloseCode.ROOM_GONE, 'room no longer exists']);
    attached = room.reattach(check.claim.playerId, check.claim.generation, sink);
  } else if (query.token) {
    const check = deps.tokens.verify(query.token, deps.clock.now());
    if (!check.ok) return refuse(TOKEN_REFUSALS[check.reason]);
    room = deps.registry.get(check.claim.roomId);
    if (!room) return refuse([CloseCode.ROOM_GONE, 'room no longer exists']);
    attached = room.attach(check.claim.seatId, sink);
  } else {
    return refuse([CloseCode.SEAT_INVALID, 'missing seat token (?token=)']);
  }
  if (!attached.ok) return refuse([attached.code, attached.reason]);
  const joined = attached.client;
  const inRoom = room;
  client = joined;

  const onMessage = (data: Buffer, isBinary: boolean) => {
    traffic.messagesIn++;
    traffic.bytesIn += data.byteLength;
    if (!isBinary) return inRoom.kick(joined, CloseCode.UNSUPPORTED_DATA, 'text frames are not part of the protocol');
    inRoom.receive(joined, data);
  };
  ws.on('message', onMessage);
  // The game's small binary frames skip ws's parser (transport/ws-receive.ts); the rest still use it.
  receiveBinaryFrames(ws, (data) => onMessage(data, true));
  // A close handshake from the client, whatever its code, is a goodbye. A connection that ends
  // without one (1006: the network dropped, or the heartbeat cut a dead socket) keeps the seat.
  ws.on('close', (code: number) => inRoom.detach(joined, code === ABNORMAL_CLOSURE ? 'dropped' : 'left'));
}

/**
 * ws closes a connection whose frames it refuses (over maxPayload 1009, bad UTF-8 1007, broken
 * framing 1002) with the right code but no reason. Its frame parser reports the error to us
 * first, so we close with the same code (ws's own, read from the error) and say why; ws's close
 * that follows is then a no-op.
 */
function explainFrameErrors(ws: WebSocket, traffic: TrafficStats): void {
  const receiver = (ws as unknown as { _receiver: EventEmitter | null })._receiver;
  receiver?.prependListener('error', (err: Error) => {
    const code = statusCodeOf(err) ?? 1002;
    traffic.countClose(code);
    if (ws.readyState === WebSocket.OPEN) ws.close(code, err.message.slice(0, 120));
  });
}

function statusCodeOf(err: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(err).find((s) => s.description === 'status-code');
  const code = key && (err as unknown as Record<symbol, unknown>)[key];
  return typeof code === 'number' ? code : undefined;
}

/**
 * Frames room messages for one WebSocket. Every message is written as one pre-framed buffer
 * (WebSocket header + message) straight to the TCP socket: one allocation and one write system
 * call, where ws.send would cork and writev a header and a body (measured: writev was 10% of the
 * server's CPU for one pong a second per client). For patches, the per-tick hot path, the 9-byte
 * patch header is written into the same buffer before the room's shared body.
 * Safe because the server never compresses (perMessageDeflate off): ws itself writes frames
 * synchronously and never holds one back that ours could overtake.
 */
function webSocketSink(ws: WebSocket, traffic: TrafficStats): ClientSink {
  const tcp = (ws as unknown as { _socket: Socket | null })._socket;
  const open = () => ws.readyState === WebSocket.OPEN && tcp !== null && !tcp.destroyed;
  return {
    send(message) {
      if (!open()) return;
      const at = frameHeaderBytes(message.byteLength);
      const frame = binaryFrame(message.byteLength, at);
      frame.set(message, at);
      traffic.messagesOut++;
      traffic.bytesOut += message.byteLength;
      tcp!.write(frame);
    },
    sendPatch(type, tick, ack, body) {
      if (!open()) return;
      const n = PATCH_HEADER_BYTES + body.byteLength;
      const at = frameHeaderBytes(n);
      const frame = binaryFrame(n, at);
      writePatchHeader(frame, at, type, tick, ack);
      frame.set(body, at + PATCH_HEADER_BYTES);
      traffic.messagesOut++;
      traffic.patchesOut++;
      traffic.bytesOut += n;
      tcp!.write(frame);
    },
    close(code, reason) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
        traffic.countClose(code);
        ws.close(code, reason);
      }
    },
    // The TCP socket's queue: ws queues nothing of its own when it does not compress, and its
    // bufferedAmount getter was 2.3% of the server's CPU at 256 clients (read per client per tick).
    get bufferedAmount() {
      return tcp ? tcp.writableLength : 0;
    },
  };
}

/** Bytes of a server-to-client WebSocket frame header for `n` payload bytes (RFC 6455 §5.2). */
function frameHeaderBytes(n: number): number {
  return n < 126 ? 2 : n < 65536 ? 4 : 10;
}

/** A buffer holding an unmasked, final, binary frame header for `n` payload bytes; the payload goes at `at`. */
function binaryFrame(n: number, at: number): Buffer {
  const frame = Buffer.allocUnsafe(at + n);
  frame[0] = 0x82; // FIN + binary
  if (at === 2) frame[1] = n;
  else if (at === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(n, 6);
  }
  return frame;
}
