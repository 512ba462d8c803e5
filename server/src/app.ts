/**
 * The application factory: builds the Fastify app with every route and the game socket, but does
 * not listen. `main.ts` listens; tests build it on port 0 and close it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { WebSocket } from 'ws';
import { CloseCode, MAX_CLIENT_MESSAGE_BYTES, modes as allModes, modeInfo, type ModeDefinition, type ModeInfo } from '@tickforge/shared';
import { systemClock, type Clock } from './clock';
import type { ServerConfig } from './config';
import { Errors, TickforgeError } from './errors';
import { acceptGameSocket, type GameSocketQuery } from './game-socket';
import { Metrics } from './metrics';
import { OriginPolicy } from './origin-policy';
import type { RoomLimits } from './room';
import { RoomRegistry } from './room-registry';
import { SeatTokens } from './seat-tokens';

export interface AppOptions {
  config: ServerConfig;
  clock?: Clock;
  modes?: readonly ModeDefinition<any, any>[];
  limits?: Partial<RoomLimits>;
  /** Seeds room randomness (tests). */
  seed?: number;
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    registry: RoomRegistry;
    metrics: Metrics;
  }
}

const defaultClientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));

const NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f]{1,20}$';

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const modes = options.modes ?? allModes;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Per-request lines would drown the log under a loadtest's matchmaking burst.
    logController: new LogController({ disableRequestLogging: true }),
  });

  const tokens = new SeatTokens(config.seatSecret);
  let metrics: Metrics | undefined = undefined;
  const registry = new RoomRegistry({
    modes,
    clock,
    tokens,
    seatTtlMs: config.seatTtlSeconds * 1000,
    reconnectGraceMs: config.reconnectGraceSeconds * 1000,
    maxRooms: config.maxRooms,
    maxCatchUp: config.maxCatchUpTicks,
    tickRateOverride: config.tickRateOverride,
    limits: options.limits,
    seed: options.seed,
    log: app.log,
    onTickMeasured: (ms) => metrics?.tickDuration.observe(ms / 1000),
    onRoomDisposed: (room) => metrics?.retireRoom(room.loop.stats),
  });
  metrics = new Metrics({
    rooms: () => registry.size,
    clients: () => sum(registry, (r) => r.playerCount),
    ticksDropped: () => sum(registry, (r) => r.loop.stats.dropped),
    tickOverruns: () => sum(registry, (r) => r.loop.stats.overruns),
  });
  app.decorate('registry', registry);
  app.decorate('metrics', metrics);

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, _req, reply) => {
    if (err instanceof TickforgeError) {
      return reply.status(err.statusCode).send({ statusCode: err.statusCode, code: err.code, error: err.name, message: err.message });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) app.log.error({ err }, 'request failed');
    return reply.status(status).send({ statusCode: status, code: err.code ?? 'TF_ERR_INTERNAL', error: err.name, message: err.message });
  });

  // Before the WebSocket plugin's own preClose (hooks run in order), so that every player hears
  // 1001 and why rather than the plugin's bare close.
  let heartbeat: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    registry.closeAll(CloseCode.GOING_AWAY, 'server shutting down');
  });

  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false },
    // An error on an open game socket is a client's doing (ws has already closed it with the fitting
    // code) or our handler's bug: neither is worth an error-level log line per hostile client, and
    // the plugin's default would cut the socket before ws's close frame reaches the client.
    errorHandler(err, socket, req) {
      req.log.debug({ err }, 'game socket error');
      if (socket.readyState === WebSocket.OPEN) socket.close(CloseCode.INTERNAL_ERROR, 'internal error');
    },
  });

  const origins = new OriginPolicy(config.allowedOrigins);
  app.addHook('onRequest', async (req) => {
    const origin = req.headers.origin;
    if (!origins.allows(origin, req.headers.host)) throw Errors.originNotAllowed(origin ?? '');
  });
  // Allowed pages on other origins may call the API from the browser (an upgrade needs no CORS).
  await app.register(fastifyCors, { origin: config.allowedOrigins ?? true, methods: ['GET', 'POST'] });

  // Per-address limit on matchmaking, which reserves seats and may create rooms.
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Errors.rateLimited(ctx.max, config.matchmakeRateWindowSeconds, ctx.after),
  });
  const matchmakeRateLimit =
    config.matchmakeRateLimit > 0 ? { rateLimit: { max: config.matchmakeRateLimit, timeWindow: config.matchmakeRateWindowSeconds * 1000 } } : {};

  app.get('/health', async () => ({ status: 'ok', rooms: registry.size, uptimeSeconds: Math.round(clock.now() / 1000) }));

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  // The tick rate the rooms really run (TICK_RATE overrides every mode's).
  const modeCatalog = modes.map((m) => ({ ...modeInfo(m), tickRate: config.tickRateOverride ?? m.tickRate }));
  app.get('/api/modes', async (): Promise<ModeInfo[]> => modeCatalog);

  app.get<{ Querystring: { mode?: string } }>(
    '/api/rooms',
    { schema: { querystring: { type: 'object', properties: { mode: { type: 'string', maxLength: 32 } }, additionalProperties: false } } },
    async (req) => registry.list(req.query.mode),
  );

  app.post<{ Body: { mode: string; name?: string; roomId?: string; create?: boolean } }>(
    '/api/matchmake',
    {
      config: matchmakeRateLimit,
      schema: {
        body: {
          type: 'object',
          required: ['mode'],
          additionalProperties: false,
          properties: {
            mode: { type: 'string', minLength: 1, maxLength: 32 },
            name: { type: 'string', pattern: NAME_PATTERN },
            roomId: { type: 'string', minLength: 1, maxLength: 64 },
            create: { type: 'boolean' },
          },
        },
      },
    },
    async (req) => {
      const { mode, roomId, create } = req.body;
      const name = req.body.name?.trim() || `player-${Math.floor(Math.random() * 10000)}`;
      const r = registry.matchmake({ mode, name, roomId, create });
      return { ...r, url: `/ws?token=${encodeURIComponent(r.token)}` };
    },
  );

  const tokenParam = { type: 'string', maxLength: 300 };
  app.get<{ Querystring: GameSocketQuery }>(
    '/ws',
    { websocket: true, schema: { querystring: { type: 'object', properties: { token: tokenParam, reconnect: tokenParam } } } },
    (socket, req) => {
      acceptGameSocket(socket, req.query, { registry, tokens, clock, traffic: metrics.traffic });
    },
  );

  // Dead peers: a socket that has not answered the previous ping by the next one is terminated.
  const alive = new WeakSet<object>();
  heartbeat = setInterval(() => {
    for (const ws of app.websocketServer.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, config.heartbeatMs);
  heartbeat.unref();
  app.websocketServer.on('connection', (ws) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
  });

  const clientDir = config.clientDir ?? defaultClientDir;
  if (existsSync(clientDir)) {
    await app.register(fastifyStatic, { root: clientDir, index: ['index.html'] });
  }

  return app;
}

function sum(registry: RoomRegistry, f: (r: import('./room').Room) => number): number {
  let n = 0;
  for (const r of registry.all()) n += f(r);
  return n;
}
