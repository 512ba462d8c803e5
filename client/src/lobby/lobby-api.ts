/**
 * The lobby's view of the server's HTTP API, with every failure turned into a sentence a player
 * understands (the server's error codes are declared in shared/src/protocol/errors.ts).
 */
import { ErrorCode, MatchmakeError, matchmake, type MatchmakeAnswer, type MatchmakeRequest, type ModeInfo, type RoomSummary as RoomInfo } from '@tickforge/shared';

/** The API's answer shapes, as the server writes them. */
export type { ModeInfo, RoomSummary as RoomInfo } from '@tickforge/shared';

export class ServerUnreachable extends Error {
  constructor(cause: unknown) {
    super(`Cannot reach the server (${cause instanceof Error ? cause.message : String(cause)}).`);
    this.name = 'ServerUnreachable';
  }
}

const TIMEOUT_MS = 5000;

async function getJson<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal: AbortSignal.timeout(TIMEOUT_MS), cache: 'no-store' });
  } catch (err) {
    throw new ServerUnreachable(err);
  }
  // A proxy in front of a stopped server (Vite in development) answers 502/504.
  if (res.status === 502 || res.status === 503 || res.status === 504) throw new ServerUnreachable(`HTTP ${res.status}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const fetchModes = () => getJson<ModeInfo[]>('/api/modes');
export const fetchRooms = () => getJson<RoomInfo[]>('/api/rooms');

/** What the lobby asks for: the player always has a name here (possibly empty: the server picks one). */
export type JoinRequest = MatchmakeRequest & { name: string };

export async function requestSeat(req: JoinRequest): Promise<MatchmakeAnswer> {
  const body: MatchmakeRequest = { mode: req.mode };
  if (req.name) body.name = req.name;
  if (req.roomId) body.roomId = req.roomId;
  if (req.create) body.create = true;
  try {
    return await matchmake(location.origin, body, (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }));
  } catch (err) {
    if (err instanceof MatchmakeError) {
      if (err.status === 502 || err.status === 504) throw new ServerUnreachable(`HTTP ${err.status}`);
      throw err;
    }
    throw new ServerUnreachable(err);
  }
}

/** A sentence for the player about why joining failed. */
export function explainJoinError(err: unknown, req: JoinRequest): string {
  if (err instanceof ServerUnreachable) return 'The server is not reachable. Check that it is running; the lobby retries by itself.';
  if (err instanceof MatchmakeError) {
    switch (err.code) {
      case ErrorCode.TF_ERR_ROOM_FULL:
        return `Room ${req.roomId ?? ''} is full. Pick another room, create one, or use Quick play.`;
      case ErrorCode.TF_ERR_ROOM_NOT_FOUND:
        return `Room ${req.roomId ?? ''} has closed. Pick another room or use Quick play.`;
      case ErrorCode.TF_ERR_UNKNOWN_MODE:
        return `This server does not offer the mode "${req.mode}".`;
      case ErrorCode.TF_ERR_TOO_MANY_ROOMS:
        return 'The server is at its room limit. Join an open room instead.';
      case ErrorCode.TF_ERR_SHUTTING_DOWN:
        return 'The server is shutting down. Try again in a moment.';
      case ErrorCode.FST_ERR_VALIDATION:
        return `The server refused the request: ${err.message}. Names are 1–20 characters without control characters.`;
      default:
        return `The server refused to seat you: ${err.message} (${err.code}).`;
    }
  }
  return `Could not join: ${err instanceof Error ? err.message : String(err)}.`;
}

/** The name as the server accepts it: trimmed, no control characters, at most 20 characters. */
export function cleanName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return [...raw.replace(/[\u0000-\u001f\u007f]/g, '').trim()].slice(0, 20).join('').trim();
}
