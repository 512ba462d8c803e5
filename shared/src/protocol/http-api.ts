/**
 * Shapes of the server's HTTP API answers (docs/protocol.md §1), shared so the server that writes
 * them and the clients that read them cannot drift apart.
 */

import type { StateFormat } from './state-format';

/** One field of a mode's INPUT frame, in wire order (docs/protocol.md §2). */
export interface InputFieldInfo {
  name: string;
  kind: string;
  bytes: number;
  /** The accepted range; absent for `bool` (the byte 0 or 1). */
  min?: number;
  max?: number;
}

/** One entry of GET /api/modes: everything a client in another language needs to play the mode. */
export interface ModeInfo {
  name: string;
  title: string;
  description: string;
  /** Whether the lobby offers the mode (false for baselines such as bigworld-open). */
  lobby: boolean;
  maxPlayers: number;
  /** The mode's tick rate (`TICK_RATE` in the server's environment overrides it: the WELCOME says). */
  tickRate: number;
  /** The play area in state units, x and y from 0, where the mode has one. */
  world?: { width: number; height: number };
  /** The INPUT frame after its 5-byte header. */
  input: { bytes: number; fields: InputFieldInfo[] };
  /**
   * The one-tick events the mode may send (docs/protocol.md, "Events"): the type byte is the
   * index in `types`; fields in wire order, fixed sizes as an input's. Empty when it has none.
   */
  events: { types: Array<{ name: string; bytes: number; fields: InputFieldInfo[] }> };
  /** The state's field table: what docs/state-format.md tabulates for the mode. */
  state: StateFormat;
  /** The rule constants a bot needs (speeds in units/s, times in ms, s or ticks as named). */
  rules: Record<string, number>;
}

/** One entry of GET /api/rooms. */
export interface RoomSummary {
  id: string;
  mode: string;
  /** Players connected now. */
  players: number;
  /** Seats taken: connected players, players within their reconnection grace, and reservations. */
  seatsTaken: number;
  maxPlayers: number;
  tick: number;
  /** In a cluster: the id of the node that runs the room (its tick is as of its last change). */
  node?: string;
}

/** Body of POST /api/matchmake: join-or-create by mode, join a given room, or open a new one. */
export interface MatchmakeRequest {
  mode: string;
  /** 1–20 characters without control characters; the server picks one when it is absent. */
  name?: string;
  /** Join this room rather than any. */
  roomId?: string;
  /** Always open a new room. */
  create?: boolean;
}

/** Answer of POST /api/matchmake: a reserved seat and where to take it. */
export interface MatchmakeAnswer {
  roomId: string;
  mode: string;
  /** The signed seat token, also inside `url`. */
  token: string;
  /** Milliseconds the token stays valid. */
  expiresInMs: number;
  /**
   * The game socket URL with the token: absolute (`wss://game.example.com/ws?token=...`) when the
   * server knows its public URL (PUBLIC_URL), else relative to the server (`/ws?token=...`).
   * Clients resolve a relative one against the server's base URL and use an absolute one as it is.
   */
  url: string;
}
