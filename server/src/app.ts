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
import { CloseReasons, MAX_CLIENT_MESSAGE_BYTES, type HttpErrorCode, modes as allModes, type MatchmakeRequest, type ModeDefinition, type ModeInfo } from '@tickforge/shared';
import { systemClock, type Clock } from './clock';
import type { ServerConfig } from './config';
import { Errors, TickforgeError } from './errors';
import type { Credentials } from './admission';
import { Metrics } from './metrics';
import { OriginPolicy } from './origin-policy';
import type { Room, RoomLimits } from './room';
import type { RoomDirectory } from './rooms/directory';
import { EmbeddedDirectory } from './rooms/embedded-directory';
import { clusterDirectory } from './cluster';
import { defaultNodeId } from './cluster/redis-directory';
import { RoomHost } from './rooms/host';
import { SeatTokens } from './seat-tokens';
import { acceptGameSocket } from './transport/ws-game-socket';
import { startHeartbeat } from './transport/ws-heartbeat';
import { checkWsInternals } from './transport/ws-internals';

export interface AppOptions {
  config: ServerConfig;
  clock?: Clock;
  modes?: readonly ModeDefinition<any, any>[];
  limits?: Partial<RoomLimits>;
  /** Seeds room randomness (tests). */
  seed?: number;
  logger?: FastifyServerOptions['logger'];
  /**
   * Builds the room directory over this process's host (a shared one for a cluster); default: the
   * embedded directory, matchmaking into this process alone.
   */
  directory?: (context: DirectoryContext) => RoomDirectory | Promise<RoomDirectory>;
}

/** What a directory is built from. */
export interface DirectoryContext {
  host: RoomHost;
  tokens: SeatTokens;
  config: ServerConfig;
  log: FastifyInstance['log'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The rooms this process runs. */
    rooms: RoomHost;
    /** Where rooms are and how a player gets a seat (matchmaking, room list, drain). */
    directory: RoomDirectory;
    metrics: Metrics;
  }
}

const defaultClientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));

const NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f]{1,20}$';

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // A cluster node always has an id: its metrics, health and directory entries carry it.
  const config = options.config.redisUrl && !options.config.nodeId ? { ...options.config, nodeId: defaultNodeId(options.config.port) } : options.config;
  const clock = options.clock ?? systemClock;
  const modes = options.modes ?? allModes;
  // Before anything listens: a ws that changed what the game socket reads must fail the boot.
  await checkWsInternals();
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Per-request lines would drown the log under a loadtest's matchmaking burst.
    logController: new LogController({ disableRequestLogging: true }),
  });

  const tokens = new SeatTokens(config.seatSecret);
  let metrics: Metrics | undefined = undefined;
  const rooms = new RoomHost({
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
    // In a cluster an empty room may have a seat on its way from another node: the directory closes it.
    keepEmptyRooms: config.redisUrl !== undefined,
  });
  rooms.listen({ roomDisposed: (room) => metrics?.retireRoom(room.loop.stats) });
  metrics = new Metrics({
    rooms: () => rooms.size,
    clients: () => sum(rooms, (r) => r.playerCount),
    ticksDropped: () => sum(rooms, (r) => r.loop.stats.dropped),
    tickOverruns: () => sum(rooms, (r) => r.loop.stats.overruns),
  });
  if (config.nodeId) metrics.registry.setDefaultLabels({ node: config.nodeId });
  const directoryContext: DirectoryContext = { host: rooms, tokens, config, log: app.log };
  const makeDirectory = options.directory ?? (config.redisUrl ? clusterDirectory : undefined);
  const directory: RoomDirectory = makeDirectory
    ? await makeDirectory(directoryContext)
    : new EmbeddedDirectory({ host: rooms, tokens, seatTtlMs: config.seatTtlSeconds * 1000, publicUrl: config.publicUrl });
  app.decorate('rooms', rooms);
  app.decorate('directory', directory);
  app.decorate('metrics', metrics);
  app.addHook('onClose', async () => directory.close());

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, _req, reply) => {
    if (err instanceof TickforgeError) {
      return reply.status(err.statusCode).send({ statusCode: err.statusCode, code: err.code, error: err.name, message: err.message });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) app.log.error({ err }, 'request failed');
    return reply.status(status).send({ statusCode: status, code: err.code ?? ('TF_ERR_INTERNAL' satisfies HttpErrorCode), error: err.name, message: err.message });
  });

  // Before the WebSocket plugin's own preClose (hooks run in order), so that every player hears
  // 1001 and why rather than the plugin's bare close.
  let stopHeartbeat = () => {};
  app.addHook('preClose', async () => {
    stopHeartbeat();
    rooms.closeAll(...CloseReasons.shuttingDown);
  });

  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false },
    // An error on an open game socket is a client's doing (ws has already closed it with the fitting
    // code) or our handler's bug: neither is worth an error-level log line per hostile client, and
    // the plugin's default would cut the socket before ws's close frame reaches the client.
    errorHandler(err, socket, req) {
      req.log.debug({ err }, 'game socket error');
      if (socket.readyState === WebSocket.OPEN) socket.close(...CloseReasons.internalError);
    },
  });

  const origins = new OriginPolicy(config.allowedOrigins);
  app.addHook('onRequest', async (req) => {
    const origin = req.headers.origin;
    if (!origins.allows(origin, req.headers.host) && !(await directory.isClusterOrigin?.(origin!))) throw Errors.originNotAllowed(origin ?? '');
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

  // In a cluster: which node this is and what it sees (docs/scaling.md); /health/ready is 503 while
  // the node takes no new players (draining, or Redis out of reach), for a load balancer or Kubernetes.
  app.get('/health', async () => ({
    status: 'ok',
    rooms: rooms.size,
    uptimeSeconds: Math.round(clock.now() / 1000),
    ...(directory.health && { node: config.nodeId, cluster: await directory.health() }),
  }));
  app.get('/health/ready', async (_req, reply) => {
    const ready = directory.accepting && directory.ready !== false;
    return reply.status(ready ? 200 : 503).send({ ready });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/api/modes', async (): Promise<ModeInfo[]> =>
    modes.map((m) => ({ name: m.name, title: m.title, description: m.description ?? '', maxPlayers: m.maxPlayers, tickRate: m.tickRate })),
  );

  app.get<{ Querystring: { mode?: string } }>(
    '/api/rooms',
    { schema: { querystring: { type: 'object', properties: { mode: { type: 'string', maxLength: 32 } }, additionalProperties: false } } },
    async (req) => directory.list(req.query.mode),
  );

  app.post<{ Body: MatchmakeRequest }>(
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
      return directory.matchmake({ mode, name, roomId, create });
    },
  );

  const tokenParam = { type: 'string', maxLength: 300 };
  app.get<{ Querystring: Credentials }>(
    '/ws',
    { websocket: true, schema: { querystring: { type: 'object', properties: { token: tokenParam, reconnect: tokenParam } } } },
    (socket, req) => {
      acceptGameSocket(socket, req.query, { rooms, tokens, clock, traffic: metrics.traffic });
    },
  );

  stopHeartbeat = startHeartbeat(app.websocketServer, config.heartbeatMs);

  const clientDir = config.clientDir ?? defaultClientDir;
  if (existsSync(clientDir)) {
    await app.register(fastifyStatic, { root: clientDir, index: ['index.html'] });
  }

  return app;
}

function sum(rooms: RoomHost, f: (r: Room) => number): number {
  let n = 0;
  for (const r of rooms.all()) n += f(r);
  return n;
}
