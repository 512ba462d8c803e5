/**
 * The ws binding of the game socket: one WebSocket is one player of one room. Admission
 * (admission.ts) decides whether it may join; this file turns the room's messages into frames
 * (ws-sink.ts) and feeds the client's binary messages to the room. Text frames close with 1003;
 * frames ws refuses (over maxPayload: 1009, bad UTF-8: 1007, broken framing: 1002) are closed by
 * ws itself, with the reason said here. WebSocket ping frames are answered here, not by ws, under
 * the PING message's own flood limit (5/s, a burst of 10), which unsolicited pong frames share (the
 * heartbeat asks for one every interval): a flood of either is closed 1008 like any other
 * violation, with no reconnection grace, and the socket is cut a second later whatever the
 * flooder keeps sending. A token is checked here too, after the upgrade: too long or given twice,
 * it is refused 4001 like any malformed token.
 */
import { WebSocket } from 'ws';
import { CloseCode, CloseReasons, ObservedCloseCode } from '@tickforge/shared';
import { admit, type AdmissionDeps, type Credentials, type Refusal } from '../admission';
import type { TrafficStats } from '../metrics';
import type { RateLimit, Room, RoomClient } from '../room';
import { RateLimiter } from '../room/rate-limiter';
import { closeCodeOf, frameParserOf, tcpSocketOf } from './ws-internals';
import { receiveBinaryFrames } from './ws-receive';
import { webSocketSink } from './ws-sink';
import type { Gateways, LocalPlace } from './gateway/gateways';

export interface GameSocketDeps extends AdmissionDeps {
  traffic: TrafficStats;
  pingRate: RateLimit;
  /** Gateway processes to hand admitted connections to (GATEWAYS > 0), and where this process kept them. */
  gateways?: { pool: Gateways; local: LocalPlace };
}

/** The query string of the upgrade: each token once, as ws and browsers send it. */
export interface TokenQuery {
  token?: string | string[];
  reconnect?: string | string[];
}

/** Longest seat or reconnect token accepted (ours are about 70 characters). */
export const MAX_TOKEN_CHARS = 300;

/** Time a socket closed for a flood has to go before it is cut. */
const FLOOD_CUT_MS = 1000;

/**
 * What the socket side of a game socket (frames, control frames, floods: `serveGameSocket`) tells
 * the room side. In one process they are the same closure; with gateways (transport/gateway/) the
 * socket side runs in a gateway process and these travel as its messages.
 */
export interface GameSocketEvents {
  /** A complete binary message. */
  binary(data: Buffer): void;
  /** A text frame of `bytes` bytes: refused 1003. */
  text(bytes: number): void;
  /** A control-frame flood: the socket reads nothing more and is cut in a second; the room side closes it with `code`. */
  flood(code: number, reason: string): void;
  /** The socket side closed the connection itself with `code` (a frame ws refused), for the close counters. */
  refused(code: number): void;
  /** The connection failed: a frame ws refused ('kicked') or the network ('dropped'). */
  error(how: 'kicked' | 'dropped'): void;
  /** The connection closed with `code` (1006: without a close handshake). */
  closed(code: number): void;
}

export interface SocketSideOptions {
  pingRate: RateLimit;
  now(): number;
}

/**
 * The socket side of one game socket: explains refused frames, answers ping frames under their
 * flood limit (pong frames share it), takes the game's small binary frames before ws's parser
 * (ws-receive.ts), and reports everything else to `events`.
 */
export function serveGameSocket(ws: WebSocket, o: SocketSideOptions, events: GameSocketEvents): void {
  explainFrameErrors(ws, events);
  // The connection guard's idle cut is for HTTP: a game socket's dead peers are the heartbeat's.
  tcpSocketOf(ws)?.setTimeout(0);
  const pings = new RateLimiter(o.pingRate.perSecond, o.pingRate.burst, o.pingRate.closeAfterStrikes, o.now());
  // Ping and pong frames share one limit: a pong nobody asked for costs the server what a ping does.
  const controlFrame = (flood: readonly [number, string], answer?: (data: Buffer) => void) => (data: Buffer) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const verdict = pings.take(o.now());
    if (verdict === 'accept') return answer?.(data);
    if (verdict === 'drop') return;
    events.flood(flood[0], flood[1]);
    // Read nothing more from a flooder: its close frame goes out, what it keeps sending is not parsed.
    tcpSocketOf(ws)?.pause();
    setTimeout(() => ws.terminate(), FLOOD_CUT_MS).unref();
  };
  ws.on(
    'ping',
    controlFrame(CloseReasons.controlPingFlood, (data) => ws.pong(data)),
  );
  ws.on('pong', controlFrame(CloseReasons.controlPongFlood));
  // A frame ws refused (WS_ERR_*) is the client breaking the protocol; anything else (reset,
  // broken pipe) is the connection dropping.
  ws.on('error', (err: Error & { code?: string }) => events.error(err.code?.startsWith('WS_ERR_') ? 'kicked' : 'dropped'));
  ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? events.binary(data) : events.text(data.byteLength)));
  // The game's small binary frames skip ws's parser (ws-receive.ts); every other frame still uses it.
  receiveBinaryFrames(ws, (data) => events.binary(data));
  ws.on('close', (code: number) => events.closed(code));
}

/**
 * One game socket: the socket side here, admission, then the room hears the socket side's events.
 * With gateways (GATEWAYS > 0), an admitted connection is handed to a gateway process, which runs
 * the socket side from then on and writes what the room sends (transport/gateway/gateways.ts).
 */
export function acceptGameSocket(ws: WebSocket, query: TokenQuery, deps: GameSocketDeps): void {
  const { traffic } = deps;
  let client: RoomClient | undefined;
  let room: Room | undefined;
  const events = roomSide(
    deps,
    () => (client && room ? { client, room } : undefined),
    (code, reason) => ws.close(code, reason),
  );
  const gateway = deps.gateways?.pool.available();
  // Handed to a gateway, the socket side runs there; here it runs only until then (a refusal's close).
  let handedOver = false;
  serveGameSocket(ws, { pingRate: deps.pingRate, now: () => deps.clock.now() }, gateway ? unless(() => handedOver, events) : events);
  const credentials = credentialsOf(query);
  const remote = 'refusal' in credentials ? undefined : gateway?.connection(ws, deps.gateways!.local, traffic, events);
  const admission = 'refusal' in credentials ? { ok: false as const, refusal: credentials.refusal } : admit(credentials, remote ? remote.sink : webSocketSink(ws, traffic), deps);
  if (!admission.ok) {
    const [code, reason] = admission.refusal;
    traffic.countClose(code);
    ws.close(code, reason);
    return;
  }
  client = admission.client;
  room = admission.room;
  if (remote) {
    handedOver = true;
    remote.adopt();
  }
}

/** `events`, ignored once `off()` holds (the local socket's own events, after its hand-over). */
function unless(off: () => boolean, events: GameSocketEvents): GameSocketEvents {
  const guard =
    <A extends unknown[]>(f: (...a: A) => void) =>
    (...a: A) => {
      if (!off()) f(...a);
    };
  return {
    binary: guard(events.binary),
    text: guard(events.text),
    flood: guard(events.flood),
    refused: guard(events.refused),
    error: guard(events.error),
    closed: guard(events.closed),
  };
}

/**
 * The room side's handlers. `seated` is the admitted player, once there is one; `close` closes a
 * connection that has none (a flood before admission).
 */
export function roomSide(
  deps: { traffic: TrafficStats },
  seated: () => { client: RoomClient; room: Room } | undefined,
  close: (code: number, reason: string) => void,
): GameSocketEvents {
  const { traffic } = deps;
  return {
    binary(data) {
      const s = seated();
      if (!s) return;
      traffic.messagesIn++;
      traffic.bytesIn += data.byteLength;
      s.room.receive(s.client, data);
    },
    text(bytes) {
      const s = seated();
      if (!s) return;
      traffic.messagesIn++;
      traffic.bytesIn += bytes;
      s.room.kick(s.client, ...CloseReasons.textFrame);
    },
    flood(code, reason) {
      traffic.countClose(code);
      const s = seated();
      if (s) s.room.kick(s.client, code, reason);
      else close(code, reason);
    },
    refused(code) {
      traffic.countClose(code);
    },
    error(how) {
      const s = seated();
      if (s) s.room.detach(s.client, how);
    },
    // A close handshake from the client, whatever its code, is a goodbye. A connection that ends
    // without one (1006: the network dropped, or the heartbeat cut a dead socket) keeps the seat.
    closed(code) {
      const s = seated();
      if (s) s.room.detach(s.client, code === ObservedCloseCode.ABNORMAL_CLOSURE ? 'dropped' : 'left');
    },
  };
}

function credentialsOf(query: TokenQuery): Credentials | { refusal: Refusal } {
  const { token, reconnect } = query;
  if (Array.isArray(reconnect)) return { refusal: CloseReasons.reconnectTokenRepeated };
  if (reconnect !== undefined && reconnect.length > MAX_TOKEN_CHARS) return { refusal: CloseReasons.reconnectTokenTooLong };
  if (Array.isArray(token)) return { refusal: CloseReasons.seatTokenRepeated };
  if (token !== undefined && token.length > MAX_TOKEN_CHARS) return { refusal: CloseReasons.seatTokenTooLong };
  return { token, reconnect };
}

/**
 * ws closes a connection whose frames it refuses (over maxPayload 1009, bad UTF-8 1007, broken
 * framing 1002) with the right code but no reason. Its frame parser reports the error to us
 * first, so we close with the same code (ws's own, read from the error) and say why; ws's close
 * that follows is then a no-op.
 */
function explainFrameErrors(ws: WebSocket, events: GameSocketEvents): void {
  frameParserOf(ws)?.prependListener('error', (err: Error) => {
    const [code, reason] = CloseReasons.frameRefused(closeCodeOf(err) ?? CloseCode.PROTOCOL_ERROR, err.message.slice(0, 120));
    events.refused(code);
    if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  });
}
