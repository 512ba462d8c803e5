/**
 * Every HTTP error the server answers with, once: its stable code (Fastify's FST_ERR_* style), its
 * status, and its message. The server throws them (server/src/errors.ts), the lobby and the other
 * clients branch on `HttpErrorCode`, and errors.test.ts checks that docs/protocol.md lists exactly
 * these. Body of every error answer: `HttpErrorBody`.
 */

/** The JSON body of every HTTP error answer. */
export interface HttpErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

/** Errors of Tickforge's own: status and message, by code. */
export const TickforgeErrors = {
  TF_ERR_UNKNOWN_MODE: {
    status: 404,
    message: (mode: string, known: readonly string[]) => `no game mode "${mode}"; known modes: ${known.join(', ')}`,
  },
  TF_ERR_ROOM_NOT_FOUND: { status: 404, message: (roomId: string) => `no room "${roomId}"` },
  TF_ERR_ROOM_FULL: { status: 409, message: (roomId: string, max: number) => `room "${roomId}" is full (${max} players)` },
  TF_ERR_ROOM_MODE: { status: 409, message: (roomId: string, mode: string) => `room "${roomId}" does not play "${mode}"` },
  TF_ERR_TOO_MANY_ROOMS: { status: 503, message: (max: number) => `the server runs its maximum of ${max} rooms` },
  TF_ERR_ROOM_CRASHED: { status: 500, message: (mode: string) => `game mode "${mode}" failed to create a room` },
  TF_ERR_SHUTTING_DOWN: { status: 503, message: () => 'the server is shutting down' },
  TF_ERR_RATE_LIMITED: {
    status: 429,
    message: (max: number, windowSeconds: number, retryIn: string) => `more than ${max} requests in ${windowSeconds} s from this address; retry in ${retryIn}`,
  },
  TF_ERR_TOO_MANY_SEATS: {
    status: 429,
    message: (held: number, where: string) => `this address holds ${held} unclaimed seats ${where}, the most allowed: connect them or let them expire`,
  },
  TF_ERR_TOO_MANY_CONNECTIONS: { status: 429, message: (max: number) => `more than ${max} open connections from this address` },
  TF_ERR_SERVER_BUSY: { status: 503, message: (max: number) => `the server holds its maximum of ${max} connections; retry shortly` },
  TF_ERR_NOT_FOUND: { status: 404, message: (method: string, path: string) => `no route ${method} ${JSON.stringify(path.slice(0, 100))}` },
  TF_ERR_NOT_AN_UPGRADE: { status: 426, message: () => 'GET /ws is the game socket: it needs a WebSocket upgrade' },
  TF_ERR_METRICS_UNAUTHORIZED: {
    status: 401,
    message: () => '/metrics needs "authorization: Bearer <METRICS_TOKEN>" (or, without METRICS_TOKEN, a loopback peer)',
  },
  TF_ERR_ORIGIN_NOT_ALLOWED: { status: 403, message: (origin: string) => `origin ${JSON.stringify(origin.slice(0, 100))} is not allowed` },
  /** The admin API without `Authorization: Bearer <ADMIN_TOKEN>`, or with another token. */
  TF_ERR_UNAUTHORIZED: { status: 401, message: () => 'the admin API needs Authorization: Bearer <ADMIN_TOKEN>' },
  TF_ERR_PLAYER_NOT_FOUND: { status: 404, message: (roomId: string, playerId: number) => `no player ${playerId} connected in room "${roomId}"` },
  /** The room is listed by the directory but runs on another node: its detail and controls live there. */
  TF_ERR_ROOM_REMOTE: { status: 409, message: (roomId: string) => `room "${roomId}" runs on another node; ask that node's admin API` },
  /** A cluster node cannot reach its Redis: no seat can be reserved; games in progress go on. */
  TF_ERR_DIRECTORY_UNAVAILABLE: {
    status: 503,
    message: () => 'matchmaking is unavailable: the cluster directory (Redis) cannot be reached; games in progress go on; retry in a few seconds',
  },
  /** The room's node is draining (SIGTERM): its rooms play on but take nobody new. */
  TF_ERR_ROOM_DRAINING: { status: 409, message: (roomId: string) => `room "${roomId}" is on a node that is shutting down; it takes no new players` },
  /** No node of the cluster can open a room (all draining or at MAX_ROOMS). */
  TF_ERR_NO_NODE: { status: 503, message: () => 'no node of the cluster can open a room now (all draining or at their maximum of rooms)' },
  /** A server bug; the message is the error's own. */
  TF_ERR_INTERNAL: { status: 500, message: (detail: string) => detail },
} as const;

/**
 * Fastify's own errors that a request can reach (the server passes them through with their code):
 * a body or query that does not match the route's schema, and a matchmaking body that is not JSON,
 * is empty, is too large, or has a media type with no parser. (An unknown route answers Fastify's
 * bare 404, `{ message, error, statusCode }` without a code.)
 */
export const FastifyErrors = {
  FST_ERR_VALIDATION: { status: 400 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400 },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400 },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413 },
} as const;

export type TickforgeErrorCode = keyof typeof TickforgeErrors;
export type HttpErrorCode = TickforgeErrorCode | keyof typeof FastifyErrors;

/** Every code an error answer can carry, with its status. */
export const HttpErrorStatus: Readonly<Record<HttpErrorCode, number>> = Object.fromEntries(
  [...Object.entries(TickforgeErrors), ...Object.entries(FastifyErrors)].map(([code, e]) => [code, e.status]),
) as Record<HttpErrorCode, number>;

/** The codes as constants (`ErrorCode.TF_ERR_ROOM_FULL`), for a client to branch on. */
export const ErrorCode = Object.fromEntries(Object.keys(HttpErrorStatus).map((c) => [c, c])) as { readonly [C in HttpErrorCode]: C };
