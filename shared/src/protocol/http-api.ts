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
