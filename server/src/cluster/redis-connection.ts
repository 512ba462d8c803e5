/**
 * The Redis connections of a node (ioredis). Commands fail fast while Redis is away (no offline
 * queue, a 1 s command timeout): the directory turns that into 503 TF_ERR_DIRECTORY_UNAVAILABLE
 * at once instead of holding requests, and nothing on a room's tick ever waits for Redis. The
 * connection retries every second or sooner, for ever; the heartbeat re-registers the node when
 * it is back. Scripts are sent as EVALSHA with EVAL as the fallback, so a restarted (script-less)
 * Redis needs nothing from us.
 */
import { Redis } from 'ioredis';
import { DEREGISTER, DRAIN, HEARTBEAT, LIST, MATCHMAKE, NODES, PLACE, REGISTER, RETIRE } from './scripts';

export type Reply = string | number | null | Reply[];

export interface DirectoryCommands {
  tfMatchmake(key: string, ...args: (string | number)[]): Promise<Reply[]>;
  tfPlace(key: string, ...args: (string | number)[]): Promise<string | null>;
  tfHeartbeat(key: string, ...args: (string | number)[]): Promise<Reply[]>;
  tfRegister(key: string, ...args: (string | number)[]): Promise<Reply[]>;
  tfRetire(key: string, ...args: (string | number)[]): Promise<number>;
  tfDrain(key: string, ...args: (string | number)[]): Promise<number>;
  tfDeregister(key: string, ...args: (string | number)[]): Promise<number>;
  tfList(key: string, ...args: (string | number)[]): Promise<Reply[]>;
  tfNodes(key: string, ...args: (string | number)[]): Promise<Reply[]>;
}

export type DirectoryRedis = Redis & DirectoryCommands;

const SCRIPTS = {
  tfMatchmake: MATCHMAKE,
  tfPlace: PLACE,
  tfHeartbeat: HEARTBEAT,
  tfRegister: REGISTER,
  tfRetire: RETIRE,
  tfDrain: DRAIN,
  tfDeregister: DEREGISTER,
  tfList: LIST,
  tfNodes: NODES,
};

export interface ConnectionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The command connection: scripts defined, fail-fast, reconnecting for ever. */
export function connectCommands(url: string, name: string, log?: ConnectionLog): DirectoryRedis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 1000),
    lazyConnect: false,
  }) as DirectoryRedis;
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  watch(redis, 'commands', log);
  return redis;
}

/** The subscriber connection (pub/sub needs its own): queues SUBSCRIBE until connected, resubscribes after. */
export function connectSubscriber(url: string, name: string, log?: ConnectionLog): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 1000),
    autoResubscribe: true,
  });
  watch(redis, 'subscriber', log);
  return redis;
}

/** Logs an outage once when it starts and once when it ends, not every retry. */
function watch(redis: Redis, role: string, log: ConnectionLog | undefined): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log?.warn({ role, err: err.message }, 'redis unreachable; retrying every second');
  });
  redis.on('ready', () => {
    if (down) log?.info({ role }, 'redis reachable again');
    down = false;
  });
}
