/**
 * The ws binding of the game socket: one WebSocket is one player of one room. Admission
 * (admission.ts) decides whether it may join; this file turns the room's messages into frames
 * (ws-sink.ts) and feeds the client's binary messages to the room. Text frames close with 1003;
 * frames ws refuses (over maxPayload: 1009, bad UTF-8: 1007, broken framing: 1002) are closed by
 * ws itself, with the reason said here.
 */
import { WebSocket } from 'ws';
import { CloseCode, CloseReasons, ObservedCloseCode } from '@tickforge/shared';
import { admit, type AdmissionDeps, type Credentials } from '../admission';
import type { TrafficStats } from '../metrics';
import type { Room, RoomClient } from '../room';
import { closeCodeOf, frameParserOf } from './ws-internals';
import { webSocketSink } from './ws-sink';

export interface GameSocketDeps extends AdmissionDeps {
  traffic: TrafficStats;
}

export function acceptGameSocket(ws: WebSocket, credentials: Credentials, deps: GameSocketDeps): void {
  const { traffic } = deps;
  let client: RoomClient | undefined;
  let room: Room | undefined;
  explainFrameErrors(ws, traffic);
  ws.on('error', (err: Error & { code?: string }) => {
    // A frame ws refused (WS_ERR_*) is the client breaking the protocol; anything else (reset,
    // broken pipe) is the connection dropping.
    if (client && room) room.detach(client, err.code?.startsWith('WS_ERR_') ? 'kicked' : 'dropped');
  });

  const admission = admit(credentials, webSocketSink(ws, traffic), deps);
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

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    traffic.messagesIn++;
    traffic.bytesIn += data.byteLength;
    if (!isBinary) return inRoom.kick(joined, ...CloseReasons.textFrame);
    inRoom.receive(joined, data);
  });
  // A close handshake from the client, whatever its code, is a goodbye. A connection that ends
  // without one (1006: the network dropped, or the heartbeat cut a dead socket) keeps the seat.
  ws.on('close', (code: number) => inRoom.detach(joined, code === ObservedCloseCode.ABNORMAL_CLOSURE ? 'dropped' : 'left'));
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
