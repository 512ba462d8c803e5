/**
 * Every HTTP error the server answers with, in one place, each with a stable code a client can
 * branch on (Fastify's FST_ERR_* style). Body: { statusCode, code, error, message }.
 */
export class TickforgeError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'TickforgeError';
  }
}

export const Errors = {
  unknownMode: (mode: string, known: string[]) =>
    new TickforgeError('TF_ERR_UNKNOWN_MODE', 404, `no game mode "${mode}"; known modes: ${known.join(', ')}`),
  roomNotFound: (roomId: string) => new TickforgeError('TF_ERR_ROOM_NOT_FOUND', 404, `no room "${roomId}"`),
  roomFull: (roomId: string, max: number) => new TickforgeError('TF_ERR_ROOM_FULL', 409, `room "${roomId}" is full (${max} players)`),
  roomModeMismatch: (roomId: string, mode: string) =>
    new TickforgeError('TF_ERR_ROOM_MODE', 409, `room "${roomId}" does not play "${mode}"`),
  tooManyRooms: (max: number) => new TickforgeError('TF_ERR_TOO_MANY_ROOMS', 503, `the server runs its maximum of ${max} rooms`),
  roomCrashed: (mode: string) => new TickforgeError('TF_ERR_ROOM_CRASHED', 500, `game mode "${mode}" failed to create a room`),
  shuttingDown: () => new TickforgeError('TF_ERR_SHUTTING_DOWN', 503, 'the server is shutting down'),
  rateLimited: (max: number, windowSeconds: number, retryIn: string) =>
    new TickforgeError('TF_ERR_RATE_LIMITED', 429, `more than ${max} requests in ${windowSeconds} s from this address; retry in ${retryIn}`),
  directoryUnavailable: () =>
    new TickforgeError(
      'TF_ERR_DIRECTORY_UNAVAILABLE',
      503,
      'matchmaking is unavailable: the cluster directory (Redis) cannot be reached; games in progress go on; retry in a few seconds',
    ),
  roomDraining: (roomId: string) => new TickforgeError('TF_ERR_ROOM_DRAINING', 409, `room "${roomId}" is on a node that is shutting down; it takes no new players`),
  noNodeAvailable: () => new TickforgeError('TF_ERR_NO_NODE', 503, 'no node of the cluster can open a room now (all draining or at their maximum of rooms)'),
  originNotAllowed: (origin: string) => new TickforgeError('TF_ERR_ORIGIN_NOT_ALLOWED', 403, `origin ${JSON.stringify(origin.slice(0, 100))} is not allowed`),
} as const;
