/**
 * The cluster directory for an app whose config has REDIS_URL: two Redis connections (commands,
 * pub/sub), this node's identity, and the directory over this process's RoomHost. app.ts builds
 * it in place of the embedded directory.
 */
import type { DirectoryContext } from '../app';
import { RedisDirectory, defaultNodeId } from './redis-directory';
import { keyPrefix } from './keys';
import { connectCommands, connectSubscriber } from './redis-connection';

export async function clusterDirectory({ config, host, tokens, log }: DirectoryContext): Promise<RedisDirectory> {
  if (!config.redisUrl || !config.publicUrl) throw new Error('a cluster node needs REDIS_URL and PUBLIC_URL');
  const nodeId = config.nodeId ?? defaultNodeId(config.port);
  const redis = connectCommands(config.redisUrl, `tickforge:${nodeId}`, log);
  const subscriber = connectSubscriber(config.redisUrl, `tickforge:${nodeId}:rpc`, log);
  const directory = new RedisDirectory({
    host,
    tokens,
    redis,
    subscriber,
    prefix: keyPrefix(config.redisPrefix),
    nodeId,
    publicUrl: config.publicUrl,
    seatTtlMs: config.seatTtlSeconds * 1000,
    maxRooms: config.maxRooms,
    log,
  });
  directory.start();
  return directory;
}
