/**
 * The matchmaking API: GET /api/modes, GET /api/rooms, POST /api/matchmake (rate-limited per
 * address, as it reserves seats and may open rooms). Every answer comes from the room directory,
 * never from the host: in a cluster the directory knows every process's rooms.
 */
import type { FastifyPluginAsync } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import type { MatchmakeRequest, ModeDefinition } from '@tickforge/shared';
import type { ServerConfig } from '../config';
import { Errors } from '../errors';
import type { RoomDirectory } from '../rooms/directory';
import { modeInfo, modeInfoSchema } from './mode-info';
import { errorResponses } from './schemas';

export interface MatchmakingOptions {
  modes: readonly ModeDefinition<any, any>[];
  directory: RoomDirectory;
  config: ServerConfig;
}

/** A display name: 1–20 characters, none of them a control character. */
const NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f]{1,20}$';

const matchmakeBody = {
  type: 'object',
  required: ['mode'],
  additionalProperties: false,
  properties: {
    mode: { type: 'string', minLength: 1, maxLength: 32 },
    name: { type: 'string', pattern: NAME_PATTERN },
    roomId: { type: 'string', minLength: 1, maxLength: 64 },
    create: { type: 'boolean' },
  },
} as const;

const matchmakeAnswer = {
  type: 'object',
  required: ['roomId', 'mode', 'token', 'expiresInMs', 'url'],
  properties: {
    roomId: { type: 'string' },
    mode: { type: 'string' },
    token: { type: 'string' },
    expiresInMs: { type: 'integer' },
    url: { type: 'string' },
  },
} as const;

const roomSummary = {
  type: 'object',
  required: ['id', 'mode', 'players', 'seatsTaken', 'maxPlayers', 'tick'],
  properties: {
    id: { type: 'string' },
    mode: { type: 'string' },
    players: { type: 'integer' },
    seatsTaken: { type: 'integer' },
    maxPlayers: { type: 'integer' },
    tick: { type: 'integer' },
    /** In a cluster: the node that runs the room. */
    node: { type: 'string' },
  },
} as const;

export const matchmaking: FastifyPluginAsync<MatchmakingOptions> = async (app, { modes, directory, config }) => {
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Errors.rateLimited(ctx.max, config.matchmakeRateWindowSeconds, ctx.after),
  });
  const rateLimit = config.matchmakeRateLimit > 0 ? { rateLimit: { max: config.matchmakeRateLimit, timeWindow: config.matchmakeRateWindowSeconds * 1000 } } : {};

  const catalog = modes.map((m) => modeInfo(m, config.tickRateOverride)); // built once: it never changes
  app.get('/api/modes', { schema: { response: { 200: { type: 'array', items: modeInfoSchema } } } }, async () => catalog);

  app.get<{ Querystring: { mode?: string } }>(
    '/api/rooms',
    {
      schema: {
        querystring: { type: 'object', properties: { mode: { type: 'string', maxLength: 32 } }, additionalProperties: false },
        response: { 200: { type: 'array', items: roomSummary }, ...errorResponses },
      },
    },
    async (req) => directory.list(req.query.mode),
  );

  app.post<{ Body: MatchmakeRequest }>(
    '/api/matchmake',
    { config: rateLimit, schema: { body: matchmakeBody, response: { 200: matchmakeAnswer, ...errorResponses } } },
    async (req) => {
      const { mode, roomId, create } = req.body;
      const name = req.body.name?.trim() || `player-${Math.floor(Math.random() * 10000)}`;
      return directory.matchmake({ mode, name, roomId, create });
    },
  );
};
