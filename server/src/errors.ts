/**
 * The HTTP errors the server throws, built from the table in shared/src/protocol/errors.ts (codes,
 * statuses, messages), so clients branch on the same codes. Body: { statusCode, code, error, message }.
 */
import { TickforgeErrors, type TickforgeErrorCode } from '@tickforge/shared';

export class TickforgeError extends Error {
  constructor(
    readonly code: TickforgeErrorCode,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'TickforgeError';
  }
}

function make<C extends TickforgeErrorCode>(code: C) {
  const { status, message } = TickforgeErrors[code];
  return (...args: Parameters<(typeof TickforgeErrors)[C]['message']>) => new TickforgeError(code, status, (message as (...a: unknown[]) => string)(...args));
}

export const Errors = {
  unknownMode: make('TF_ERR_UNKNOWN_MODE'),
  roomNotFound: make('TF_ERR_ROOM_NOT_FOUND'),
  roomFull: make('TF_ERR_ROOM_FULL'),
  roomModeMismatch: make('TF_ERR_ROOM_MODE'),
  tooManyRooms: make('TF_ERR_TOO_MANY_ROOMS'),
  roomCrashed: make('TF_ERR_ROOM_CRASHED'),
  shuttingDown: make('TF_ERR_SHUTTING_DOWN'),
  rateLimited: make('TF_ERR_RATE_LIMITED'),
  originNotAllowed: make('TF_ERR_ORIGIN_NOT_ALLOWED'),
  tooManySeats: make('TF_ERR_TOO_MANY_SEATS'),
  tooManyConnections: make('TF_ERR_TOO_MANY_CONNECTIONS'),
  serverBusy: make('TF_ERR_SERVER_BUSY'),
  notFound: make('TF_ERR_NOT_FOUND'),
  notAnUpgrade: make('TF_ERR_NOT_AN_UPGRADE'),
  metricsUnauthorized: make('TF_ERR_METRICS_UNAUTHORIZED'),
  unauthorized: make('TF_ERR_UNAUTHORIZED'),
  playerNotFound: make('TF_ERR_PLAYER_NOT_FOUND'),
  roomRemote: make('TF_ERR_ROOM_REMOTE'),
  directoryUnavailable: make('TF_ERR_DIRECTORY_UNAVAILABLE'),
  roomDraining: make('TF_ERR_ROOM_DRAINING'),
  noNodeAvailable: make('TF_ERR_NO_NODE'),
} as const;
