/**
 * The room directory: where rooms are and how a player gets a seat in one. The embedded directory
 * (embedded-directory.ts) answers from this process's RoomHost alone; a shared one (Redis) answers
 * for every process of a cluster. The HTTP API (plugins/matchmaking.ts) and shutdown talk only to
 * this interface; admission (admission.ts) never does: a token is checked where its room lives.
 */
import type { MatchmakeAnswer, MatchmakeRequest, RoomSummary } from '@tickforge/shared';

/** A matchmaking request once the server has settled the player's name. */
export type SeatRequest = MatchmakeRequest & { name: string };

export interface RoomDirectory {
  /**
   * Reserves a seat and signs its token: in the room `roomId`, in a new room (`create`), or in the
   * fullest room of `mode` that has space (a new one when none has). Throws the TF_ERR_* errors
   * (unknown mode, room not found/full/of another mode, too many rooms, shutting down).
   */
  matchmake(req: SeatRequest): Promise<MatchmakeAnswer>;
  /** The rooms (of `mode`, when given) for GET /api/rooms. */
  list(mode?: string): Promise<RoomSummary[]>;
  /** False once matchmaking stopped: `matchmake` throws TF_ERR_SHUTTING_DOWN. */
  readonly accepting: boolean;
  /** First step of a graceful shutdown or a drain: refuse new players, keep the rooms running. */
  stopMatchmaking(): Promise<void>;
  /** Releases what the directory holds (connections, subscriptions); called when the app closes. */
  close(): Promise<void>;

  // A shared directory (cluster/redis-directory.ts) has these too:
  /** SIGTERM in a cluster: no new rooms or seats on this node; its rooms play on. */
  drain?(): Promise<void>;
  /** What this node sees of the cluster, for GET /health. */
  health?(): Promise<object>;
  /** Whether `origin` is the page origin of a node of the cluster (allowed like the server's own). */
  isClusterOrigin?(origin: string): Promise<boolean>;
  /** False while this node cannot take new players (draining, or its directory unreachable): readiness. */
  readonly ready?: boolean;
}

/**
 * The game socket URL for a seat token: `ws(s)://<public host>/ws?token=...` when the server's
 * public http(s) URL is known, today's relative `/ws?token=...` otherwise.
 */
export function seatSocketUrl(token: string, publicUrl?: string): string {
  const path = `/ws?token=${encodeURIComponent(token)}`;
  if (!publicUrl) return path;
  const u = new URL(publicUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return new URL(path, u).toString();
}
