/**
 * Server configuration from the environment, validated once at startup. Every problem is reported
 * together, with the variable's name, so a bad deploy fails at boot with a clear message.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface ServerConfig {
  host: string;
  port: number;
  /** Overrides every mode's own tick rate when set (for experiments); normally unset. */
  tickRateOverride: number | undefined;
  /** Seconds a seat token stays valid after matchmaking. */
  seatTtlSeconds: number;
  /** HMAC secret that signs seat tokens. Generated at boot when SEAT_SECRET is unset. */
  seatSecret: string;
  /** Seconds a player whose connection dropped keeps their seat and may reconnect (0: never). */
  reconnectGraceSeconds: number;
  maxRooms: number;
  /** Matchmaking requests one address may make per window (0: unlimited). */
  matchmakeRateLimit: number;
  matchmakeRateWindowSeconds: number;
  /**
   * Browser origins (`https://host[:port]`) allowed to matchmake and open the game socket, besides
   * the server's own; undefined allows every origin. Requests without an Origin header (non-browser
   * clients) are always allowed: an origin check only protects browsers.
   */
  allowedOrigins: string[] | undefined;
  /**
   * Fastify's trustProxy: whose X-Forwarded-For to believe for the client address (rate limits):
   * false, true (every peer: only when nothing reaches the server but through the proxy), or
   * the proxies' IP/CIDR list.
   */
  trustProxy: boolean | string;
  /** Ticks the loop runs back to back after a stall before dropping ticks. */
  maxCatchUpTicks: number;
  /** Milliseconds between WebSocket pings; a socket that misses one is terminated. */
  heartbeatMs: number;
  /**
   * Gateway processes that hold the game sockets (transport/gateway/gateways.ts): 0, the
   * default, serves them in this process.
   */
  gateways: number;
  /**
   * How much lower than the event loop's the priority of the process's other threads is
   * (V8's helpers, libuv's pool; thread-priority.ts), and of the gateway processes: 0 leaves them
   * alone.
   */
  helperThreadNiceness: number;
  /**
   * The server's public http(s) URL as players reach it (`https://game.example.com`), from
   * PUBLIC_URL: matchmaking then answers absolute socket URLs (`wss://game.example.com/ws?token=`),
   * which a cluster needs (the room may live on another process than the one that answered).
   * Undefined: relative `/ws?token=` URLs, resolved by the client against the server it asked.
   */
  publicUrl: string | undefined;
  /**
   * Unclaimed seat reservations (matchmade, socket not yet connected) one address may hold in the
   * whole process (0: no bound; this and the other per-address bounds default to 0 when
   * MATCHMAKE_RATE_LIMIT is 0, the setting of a loadtest from one machine).
   */
  seatsPerAddress: number;
  /** Unclaimed seat reservations one address may hold in one room (0: no bound). */
  seatsPerAddressInRoom: number;
  /**
   * Seconds an unclaimed reservation is safe: after it, the reservation (or a room of nothing but
   * such reservations) is given up when a player needs its place (a full room, MAX_ROOMS).
   */
  seatClaimGraceSeconds: number;
  /** Open TCP connections (HTTP and game sockets) the process accepts; beyond, 503 TF_ERR_SERVER_BUSY. */
  maxConnections: number;
  /** Open connections one peer address may hold (0: no cap; off with TRUST_PROXY, where the peer is the proxy). */
  maxConnectionsPerAddress: number;
  /** Seconds a connection has to send a complete request (headers and body); then it is cut. */
  requestTimeoutSeconds: number;
  /** Bearer token for GET /metrics; undefined: /metrics answers only loopback peers without a forwarded header. */
  metricsToken: string | undefined;
  /**
   * The cluster's Redis (REDIS_URL, `redis://host:6379`): set, this process is one node of a
   * cluster sharing that Redis (docs/scaling.md); unset, it runs alone with the embedded directory.
   */
  redisUrl: string | undefined;
  /** Name under which the cluster's keys live in Redis (`{tf}:...`), so clusters may share one Redis. */
  redisPrefix: string;
  /** This node's id in the cluster (NODE_ID; default `<hostname>-<port>-<pid>`). */
  nodeId: string | undefined;
  /**
   * Seconds a SIGTERM lets the rooms play on (draining: no new rooms or seats here) before they are
   * closed with 1001; they close earlier when empty. Default 30 in a cluster, 0 alone.
   */
  drainTimeoutSeconds: number;
  /** Directory of the built client to serve, or undefined to serve none. */
  clientDir: string | undefined;
  /** RECORD_DIR: every room records itself into this directory (docs/replay.md); unset: none does. */
  recordDir: string | undefined;
  /** Where the admin API's "start recording" writes: RECORD_DIR, else ./recordings. */
  adminRecordDir: string;
  /** RECORD_MAX_MB: a recording ends itself at this size (default 64 MiB). */
  recordMaxBytes: number;
  /** ADMIN_TOKEN: the bearer token of /admin and /api/admin/*; unset (or under 16 characters): both disabled (404). */
  adminToken: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min || v > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return v;
  };

  const logLevel = (env.LOG_LEVEL ?? 'info') as ServerConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)} must be one of ${LOG_LEVELS.join(', ')}`);

  const secret = env.SEAT_SECRET;
  if (secret !== undefined && secret.length < 16) problems.push('SEAT_SECRET must be at least 16 characters');

  const tickRate = env.TICK_RATE ? int('TICK_RATE', 30, 1, 128) : undefined;

  let allowedOrigins: string[] | undefined;
  const origins = env.ALLOWED_ORIGINS?.trim();
  if (origins && origins !== '*') {
    allowedOrigins = [];
    for (const o of origins
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const normal = normalOrigin(o);
      if (normal) allowedOrigins.push(normal);
      else problems.push(`ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin like https://game.example.com or http://localhost:5173`);
    }
  }

  const rawPublicUrl = env.PUBLIC_URL?.trim();
  const publicUrl = rawPublicUrl ? normalOrigin(rawPublicUrl) : undefined;
  if (rawPublicUrl && !publicUrl) {
    problems.push(`PUBLIC_URL=${JSON.stringify(rawPublicUrl)} must be an http(s) URL without a path, like https://game.example.com`);
  }

  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters (or unset to disable the admin API)');
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl) {
    if (!/^rediss?:\/\/[^\s]+$/.test(redisUrl)) problems.push(`REDIS_URL=${JSON.stringify(redisUrl)} must be a redis:// or rediss:// URL`);
    // Every node signs seat tokens that the others check.
    if (!secret) problems.push('SEAT_SECRET must be set (the same on every node) when REDIS_URL is');
    if (!publicUrl && !rawPublicUrl) problems.push('PUBLIC_URL must be set when REDIS_URL is: other nodes send players to this address');
  }
  const redisPrefix = env.REDIS_PREFIX?.trim() || 'tf';
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(redisPrefix)) problems.push(`REDIS_PREFIX=${JSON.stringify(redisPrefix)} must be 1–32 letters, digits, _ . -`);
  const nodeId = env.NODE_ID?.trim() || undefined;
  if (nodeId !== undefined && !/^[A-Za-z0-9_.:-]{1,64}$/.test(nodeId)) problems.push(`NODE_ID=${JSON.stringify(nodeId)} must be 1–64 letters, digits, _ . : -`);

  const proxy = env.TRUST_PROXY?.trim() ?? '';
  const trustProxy: ServerConfig['trustProxy'] = proxy === '' || proxy === 'false' ? false : proxy === 'true' ? true : proxy;

  const config: ServerConfig = {
    host: env.HOST || '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    tickRateOverride: tickRate,
    seatTtlSeconds: int('SEAT_TTL_SECONDS', 30, 1, 3600),
    seatSecret: secret && secret.length >= 16 ? secret : randomBytes(32).toString('base64url'),
    reconnectGraceSeconds: int('RECONNECT_GRACE_SECONDS', 20, 0, 3600),
    maxRooms: int('MAX_ROOMS', 1000, 1, 100_000),
    matchmakeRateLimit: int('MATCHMAKE_RATE_LIMIT', 30, 0, 1_000_000),
    matchmakeRateWindowSeconds: int('MATCHMAKE_RATE_WINDOW_SECONDS', 10, 1, 3600),
    allowedOrigins,
    trustProxy,
    maxCatchUpTicks: int('MAX_CATCH_UP_TICKS', 5, 1, 1000),
    heartbeatMs: int('HEARTBEAT_MS', 10_000, 100, 600_000),
    gateways: int('GATEWAYS', 0, 0, 64),
    helperThreadNiceness: int('HELPER_THREAD_NICENESS', 10, 0, 19),
    publicUrl,
    seatsPerAddress: int('MAX_SEATS_PER_ADDRESS', 8, 0, 100_000),
    seatsPerAddressInRoom: int('MAX_SEATS_PER_ADDRESS_IN_ROOM', 4, 0, 1000),
    seatClaimGraceSeconds: int('SEAT_CLAIM_GRACE_SECONDS', 5, 1, 3600),
    maxConnections: int('MAX_CONNECTIONS', defaultMaxConnections(), 1, 1_000_000),
    maxConnectionsPerAddress: int('MAX_CONNECTIONS_PER_ADDRESS', 32, 0, 1_000_000),
    requestTimeoutSeconds: int('REQUEST_TIMEOUT_SECONDS', 5, 1, 300),
    metricsToken: env.METRICS_TOKEN || undefined,
    redisUrl,
    redisPrefix,
    nodeId,
    drainTimeoutSeconds: int('DRAIN_TIMEOUT_SECONDS', redisUrl ? 30 : 0, 0, 3600),
    clientDir: env.CLIENT_DIR || undefined,
    recordDir: env.RECORD_DIR || undefined,
    adminRecordDir: env.RECORD_DIR || 'recordings',
    recordMaxBytes: int('RECORD_MAX_MB', 64, 1, 100_000) * 1024 * 1024,
    adminToken,
    logLevel,
    ...overrides,
  };
  // A server without a matchmaking rate limit serves many players from one address (a loadtest):
  // the other per-address bounds follow it unless set.
  if (config.matchmakeRateLimit === 0) {
    const off = (v: string, k: 'seatsPerAddress' | 'seatsPerAddressInRoom' | 'maxConnectionsPerAddress') => {
      if (env[v] === undefined && overrides[k] === undefined) config[k] = 0;
    };
    off('MAX_SEATS_PER_ADDRESS', 'seatsPerAddress');
    off('MAX_SEATS_PER_ADDRESS_IN_ROOM', 'seatsPerAddressInRoom');
    off('MAX_CONNECTIONS_PER_ADDRESS', 'maxConnectionsPerAddress');
  }
  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `scheme://host[:port]` in the form browsers send in the Origin header, or undefined. */
export function normalOrigin(value: string): string | undefined {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (u.pathname !== '/' || u.search || u.hash || u.username) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/**
 * The process's open-file limit (soft, from /proc/self/limits) less 128 descriptors for everything
 * that is not a connection (Redis, logs, files served, Node's own); 1000 where it cannot be read.
 */
export function defaultMaxConnections(limits = '/proc/self/limits'): number {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(limits, 'utf8'));
    if (m) return Math.max(64, Number(m[1]) - 128);
  } catch {
    // not Linux
  }
  return 1000;
}
