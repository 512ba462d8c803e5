/**
 * Server configuration from the environment, validated once at startup. Every problem is reported
 * together, with the variable's name, so a bad deploy fails at boot with a clear message.
 */
import { randomBytes } from 'node:crypto';

export interface ServerConfig {
  host: string;
  port: number;
  /** Overrides every mode's own tick rate when set (for experiments); normally unset. */
  tickRateOverride: number | undefined;
  /** Seconds a seat token stays valid after matchmaking. */
  seatTtlSeconds: number;
  /** HMAC secret that signs seat tokens. Generated at boot when SEAT_SECRET is unset. */
  seatSecret: string;
  maxRooms: number;
  /** Ticks the loop runs back to back after a stall before dropping ticks. */
  maxCatchUpTicks: number;
  /** Milliseconds between WebSocket pings; a socket that misses one is terminated. */
  heartbeatMs: number;
  /** Directory of the built client to serve, or undefined to serve none. */
  clientDir: string | undefined;
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

  const config: ServerConfig = {
    host: env.HOST || '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    tickRateOverride: tickRate,
    seatTtlSeconds: int('SEAT_TTL_SECONDS', 30, 1, 3600),
    seatSecret: secret && secret.length >= 16 ? secret : randomBytes(32).toString('base64url'),
    maxRooms: int('MAX_ROOMS', 1000, 1, 100_000),
    maxCatchUpTicks: int('MAX_CATCH_UP_TICKS', 5, 1, 1000),
    heartbeatMs: int('HEARTBEAT_MS', 10_000, 100, 600_000),
    clientDir: env.CLIENT_DIR || undefined,
    logLevel,
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
