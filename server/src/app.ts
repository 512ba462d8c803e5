/**
 * The application factory: builds this process's rooms (RoomHost), the room directory and the
 * metrics, then registers the plugins (plugins/): the origin policy, ops (/health, /metrics),
 * matchmaking (/api/*), the game socket (/ws) and the static client. It does not listen:
 * `main.ts` listens; tests build it on port 0 and close it.
 */
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { MAX_CLIENT_MESSAGE_BYTES, modes as allModes, type HttpErrorCode, type ModeDefinition } from '@tickforge/shared';
import { systemClock, type Clock } from './clock';
import type { ServerConfig } from './config';
import { Errors, TickforgeError } from './errors';
import { RoomStats } from './admin/room-stats';
import { Metrics } from './metrics';
import { admin } from './plugins/admin';
import { gameSocket } from './plugins/game-socket';
import { matchmaking } from './plugins/matchmaking';
import { ops } from './plugins/ops';
import { origins } from './plugins/origins';
import { staticFiles } from './plugins/static-files';
import { Recordings } from './recording/recordings';
import { DEFAULT_LIMITS, type Room, type RoomLimits } from './room';
import type { RoomDirectory } from './rooms/directory';
import { EmbeddedDirectory } from './rooms/embedded-directory';
import { clusterDirectory } from './cluster';
import { defaultNodeId } from './cluster/redis-directory';
import { RoomHost } from './rooms/host';
import { SeatTokens } from './seat-tokens';
import { limitedLog } from './log-limiter';
import { GuardedServer } from './transport/connection-guard';
import { Gateways } from './transport/gateway/gateways';
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
    /** The HTTP server, which counts and caps connections (transport/connection-guard.ts). */
    connections: GuardedServer;
    /** The gateway processes holding game sockets (GATEWAYS > 0), or undefined. */
    gateways: Gateways | undefined;
  }
}

const defaultClientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // A cluster node always has an id: its metrics, health and directory entries carry it.
  const config = options.config.redisUrl && !options.config.nodeId ? { ...options.config, nodeId: defaultNodeId(options.config.port) } : options.config;
  const clock = options.clock ?? systemClock;
  const modes = options.modes ?? allModes;
  // Before anything listens: a ws that changed what the game socket reads must fail the boot.
  await checkWsInternals();
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Per-request lines would drown the log under a loadtest's matchmaking burst.
    logController: new LogController({ disableRequestLogging: true }),
    // A connection has REQUEST_TIMEOUT_SECONDS to send a whole request, and may stay open as long
    // between requests; Node checks every 500 ms, so a silent connection is cut within that plus
    // half a second (issue 12: with Node's defaults it held a descriptor for 60-80 s).
    serverFactory: (handler) =>
      new GuardedServer(
        { headersTimeout: requestTimeout, requestTimeout, keepAliveTimeout: requestTimeout, connectionsCheckingInterval: 500 },
        handler,
        // Behind a proxy every connection comes from the proxy: the per-address cap is the proxy's job.
        {
          maxConnections: config.maxConnections,
          maxPerAddress: config.trustProxy ? 0 : config.maxConnectionsPerAddress,
          idleMs: requestTimeout,
        },
      ),
    // The body is what the schema says, or 400: no field dropped in silence, no type coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });

  const limits: RoomLimits = { ...DEFAULT_LIMITS, ...options.limits };
  // Started before anything listens: a gateway that cannot start fails the boot.
  const gateways =
    config.gateways > 0
      ? new Gateways({
          count: config.gateways,
          heartbeatMs: config.heartbeatMs,
          pingRate: limits.pingRate,
          maxPayload: MAX_CLIENT_MESSAGE_BYTES,
          niceness: config.helperThreadNiceness,
          log: app.log,
        })
      : undefined;
  if (gateways) {
    await gateways.start();
    app.addHook('onClose', async () => gateways.stop());
  }
  const tokens = new SeatTokens(config.seatSecret);
  let metrics: Metrics | undefined = undefined;
  const roomStats = config.adminToken ? new RoomStats() : undefined;
  const rooms = new RoomHost({
    modes,
    clock,
    tokens,
    seatTtlMs: config.seatTtlSeconds * 1000,
    reconnectGraceMs: config.reconnectGraceSeconds * 1000,
    maxRooms: config.maxRooms,
    seatClaimGraceMs: config.seatClaimGraceSeconds * 1000,
    maxCatchUp: config.maxCatchUpTicks,
    tickRateOverride: config.tickRateOverride,
    limits: options.limits,
    seed: options.seed,
    log: limitedLog(app.log),
    ...(gateways && { afterTick: () => gateways.flush() }),
    onTickMeasured: (ms, room) => {
      metrics?.tickDuration.observe(ms / 1000);
      metrics?.tickWork.observe((ms - room.tickWritesMs) / 1000);
      roomStats?.tick(room, ms);
    },
    // In a cluster an empty room may have a seat on its way from another node: the directory closes it.
    keepEmptyRooms: config.redisUrl !== undefined,
  });
  const recordings = new Recordings({ dir: config.adminRecordDir, maxBytes: config.recordMaxBytes, log: app.log });
  if (config.recordDir) rooms.listen({ roomCreated: (room) => void recordings.start(room) });
  rooms.listen({ roomDisposed: (room) => metrics?.retireRoom(room.loop.stats) });
  metrics = new Metrics({
    rooms: () => rooms.size,
    roomsTicking: () => rooms.ticking,
    clients: () => sum(rooms, (r) => r.playerCount),
    ticksDropped: () => sum(rooms, (r) => r.loop.stats.dropped),
    tickOverruns: () => sum(rooms, (r) => r.loop.stats.overruns),
    ...(gateways && { gatewayCpuSeconds: () => gateways.cpuSeconds, gatewayConnections: () => gateways.connections }),
  });
  if (config.nodeId) metrics.registry.setDefaultLabels({ node: config.nodeId });
  const directoryContext: DirectoryContext = { host: rooms, tokens, config, log: app.log };
  const makeDirectory = options.directory ?? (config.redisUrl ? clusterDirectory : undefined);
  const directory: RoomDirectory = makeDirectory
    ? await makeDirectory(directoryContext)
    : new EmbeddedDirectory({
        host: rooms,
        tokens,
        seatTtlMs: config.seatTtlSeconds * 1000,
        publicUrl: config.publicUrl,
        seatPolicy: {
          perAddress: config.seatsPerAddress || Infinity,
          perAddressInRoom: config.seatsPerAddressInRoom || Infinity,
          claimGraceMs: config.seatClaimGraceSeconds * 1000,
        },
      });
  app.decorate('rooms', rooms);
  app.decorate('connections', app.server as GuardedServer);
  app.decorate('directory', directory);
  app.decorate('metrics', metrics);
  app.decorate('gateways', gateways);
  app.addHook('onClose', async () => directory.close());

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, _req, reply) => {
    if (err instanceof TickforgeError) {
      return reply.status(err.statusCode).send({ statusCode: err.statusCode, code: err.code, error: err.name, message: err.message });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) app.log.error({ err }, 'request failed');
    return reply.status(status).send({ statusCode: status, code: err.code ?? ('TF_ERR_INTERNAL' satisfies HttpErrorCode), error: err.name, message: err.message });
  });

  // An unknown path is an error answer like any other (and logs nothing: the path is the client's).
  app.setNotFoundHandler((req, reply) => {
    const err = Errors.notFound(req.method, req.url.split('?')[0]!);
    return reply.status(404).send({ statusCode: 404, code: err.code, error: err.name, message: err.message });
  });

  // The game socket first: @fastify/websocket's onRequest hook must run before the origin check
  // can refuse an upgrade, or the refused upgrade's socket is never destroyed (and close hangs).
  // Its preClose also comes first, so every player hears 1001 and why.
  await app.register(gameSocket, { rooms, tokens, clock, metrics, heartbeatMs: config.heartbeatMs, limits, gateways });
  await app.register(origins, { allowedOrigins: config.allowedOrigins, isClusterOrigin: directory.isClusterOrigin?.bind(directory) });
  await app.register(ops, { rooms, metrics, clock, directory, nodeId: config.nodeId, metricsToken: config.metricsToken });
  await app.register(matchmaking, { modes, directory, config });
  if (config.adminToken && roomStats) {
    await app.register(admin, { token: config.adminToken, rooms, directory, metrics, recordings, stats: roomStats });
  }
  await app.register(staticFiles, { root: config.clientDir ?? defaultClientDir });

  return app;
}

function sum(rooms: RoomHost, f: (r: Room) => number): number {
  let n = 0;
  for (const r of rooms.all()) n += f(r);
  return n;
}
