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

export interface GameSocketDeps extends AdmissionDeps {
  traffic: TrafficStats;
  pingRate: RateLimit;
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

export function acceptGameSocket(ws: WebSocket, query: TokenQuery, deps: GameSocketDeps): void {
  const { traffic } = deps;
  let client: RoomClient | undefined;
  let room: Room | undefined;
  explainFrameErrors(ws, traffic);
  // The connection guard's idle cut is for HTTP: a game socket's dead peers are the heartbeat's.
  tcpSocketOf(ws)?.setTimeout(0);
  const pings = new RateLimiter(deps.pingRate.perSecond, deps.pingRate.burst, deps.pingRate.closeAfterStrikes, deps.clock.now());
  // Ping and pong frames share one limit: a pong nobody asked for costs the server what a ping does.
  const controlFrame = (flood: readonly [number, string], answer?: (data: Buffer) => void) => (data: Buffer) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const verdict = pings.take(deps.clock.now());
    if (verdict === 'accept') return answer?.(data);
    if (verdict === 'drop') return;
    traffic.countClose(flood[0]);
    if (client && room) room.kick(client, flood[0], flood[1]);
    else ws.close(flood[0], flood[1]);
    // Read nothing more from a flooder: its close frame goes out, what it keeps sending is not parsed.
    tcpSocketOf(ws)?.pause();
    setTimeout(() => ws.terminate(), FLOOD_CUT_MS).unref();
  };
  ws.on(
    'ping',
    controlFrame(CloseReasons.controlPingFlood, (data) => ws.pong(data)),
  );
  ws.on('pong', controlFrame(CloseReasons.controlPongFlood));
  ws.on('error', (err: Error & { code?: string }) => {
    // A frame ws refused (WS_ERR_*) is the client breaking the protocol; anything else (reset,
    // broken pipe) is the connection dropping.
    if (client && room) room.detach(client, err.code?.startsWith('WS_ERR_') ? 'kicked' : 'dropped');
  });

  const credentials = credentialsOf(query);
  const admission = 'refusal' in credentials ? { ok: false as const, refusal: credentials.refusal } : admit(credentials, webSocketSink(ws, traffic), deps);
  if (!admission.ok) {
    const [code, reason] = admission.refusal;
    traffic.countClose(code);
    ws.close(code, reason);
    return;
  }
  const joined = admission.client;
  const inRoom = admission.room;
  client = joined;
  room = inRoom;

  const onMessage = (data: Buffer, isBinary: boolean) => {
    traffic.messagesIn++;
    traffic.bytesIn += data.byteLength;
    if (!isBinary) return inRoom.kick(joined, ...CloseReasons.textFrame);
    inRoom.receive(joined, data);
  };
  ws.on('message', onMessage);
  // The game's small binary frames skip ws's parser (ws-receive.ts); every other frame still uses it.
  receiveBinaryFrames(ws, (data) => onMessage(data, true));
  // A close handshake from the client, whatever its code, is a goodbye. A connection that ends
  // without one (1006: the network dropped, or the heartbeat cut a dead socket) keeps the seat.
  ws.on('close', (code: number) => inRoom.detach(joined, code === ObservedCloseCode.ABNORMAL_CLOSURE ? 'dropped' : 'left'));
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
function explainFrameErrors(ws: WebSocket, traffic: TrafficStats): void {
  frameParserOf(ws)?.prependListener('error', (err: Error) => {
    const [code, reason] = CloseReasons.frameRefused(closeCodeOf(err) ?? CloseCode.PROTOCOL_ERROR, err.message.slice(0, 120));
    traffic.countClose(code);
    if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  });
}
