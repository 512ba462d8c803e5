/**
 * Admission: who may take a place in a room. Transport-neutral: it checks the seat token from
 * matchmaking (or the reconnect token of a dropped player), looks the room up in this process's
 * RoomHost (never the directory: a token is checked where its room lives), and attaches the
 * connection's sink to the room. A transport (transport/ws-game-socket.ts) calls it and closes the
 * connection with the refusal's code and reason; it never checks a token itself.
 */
import { CloseReasons, type CloseReason } from '@tickforge/shared';
import type { Clock } from './clock';
import type { ClientSink, Room, RoomClient } from './room';
import type { RoomHost } from './rooms/host';
import type { SeatTokens } from './seat-tokens';

/** How a connection presents itself: `token` from matchmaking, or `reconnect` from its last WELCOME. */
export interface Credentials {
  token?: string;
  reconnect?: string;
}

export interface AdmissionDeps {
  rooms: RoomHost;
  tokens: SeatTokens;
  clock: Clock;
}

/** A refusal: the close code and reason the transport ends the connection with. */
export type Refusal = CloseReason;

export type Admission = { ok: true; room: Room; client: RoomClient } | { ok: false; refusal: Refusal };

const TOKEN_REFUSALS = {
  malformed: CloseReasons.seatTokenMalformed,
  forged: CloseReasons.seatTokenForged,
  expired: CloseReasons.seatTokenExpired,
} as const;

const RECONNECT_REFUSALS = {
  malformed: CloseReasons.reconnectTokenMalformed,
  forged: CloseReasons.reconnectTokenForged,
} as const;

/** Admits the connection behind `sink` into its room, or says why not. A reconnect token wins over a seat token. */
export function admit(credentials: Credentials, sink: ClientSink, deps: AdmissionDeps): Admission {
  let room: Room | undefined;
  let attached: ReturnType<Room['attach']>;
  if (credentials.reconnect) {
    const check = deps.tokens.verifyReconnect(credentials.reconnect);
    if (!check.ok) return refuse(RECONNECT_REFUSALS[check.reason]);
    room = deps.rooms.get(check.claim.roomId);
    if (!room) return refuse(CloseReasons.roomGone);
    attached = room.reattach(check.claim.playerId, check.claim.generation, sink);
  } else if (credentials.token) {
    const check = deps.tokens.verify(credentials.token, deps.clock.now());
    if (!check.ok) return refuse(TOKEN_REFUSALS[check.reason]);
    room = deps.rooms.get(check.claim.roomId);
    if (!room) return refuse(CloseReasons.roomGone);
    // A token naming the player is a seat the cluster directory reserved (perhaps on another node):
    // the room honours it once, without a reservation of its own. Its expiry is wall-clock time.
    const { name, seatId, expiresAt } = check.claim;
    attached = room.attach(seatId, sink, name === undefined ? undefined : { name, validForMs: expiresAt - Date.now() });
  } else {
    return refuse(CloseReasons.noSeatToken);
  }
  if (!attached.ok) return refuse([attached.code, attached.reason]);
  return { ok: true, room, client: attached.client };
}

function refuse(refusal: Refusal): Admission {
  return { ok: false, refusal };
}
