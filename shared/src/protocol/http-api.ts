/**
 * Shapes of the server's HTTP API answers (docs/protocol.md §1), shared so the server that writes
 * them and the clients that read them cannot drift apart.
 */

/** One entry of GET /api/modes. */
export interface ModeInfo {
  name: string;
  title: string;
  description: string;
  maxPlayers: number;
  tickRate: number;
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
