/**
 * Every Redis key of the cluster directory, in one place (docs/scaling.md lists them with their
 * lifetimes). All share one hash tag, `{prefix}`, so the whole directory lives in one slot: every
 * script touches only its own slot, which also holds on a Redis Cluster.
 *
 *   {tf}:nodes                ZSET  node id → lease expiry (ms, Redis clock)   the liveness index
 *   {tf}:placement            ZSET  node id → load (non-draining nodes)        where new rooms go
 *   {tf}:node:<id>            HASH  url, clients, rooms, draining, startedAt   PEXPIRE = lease TTL
 *   {tf}:node:<id>:rooms      SET   room ids of that node                       until the node is reaped
 *   {tf}:room:<id>            HASH  node, mode, max, taken, players, tick, epoch, seq, created
 *   {tf}:room:<id>:seats      ZSET  pending seat id → time it may be forgotten (token expiry + skew);
 *                                   outlives a reaped room until its last seat expires
 *   {tf}:open:<mode>          ZSET  room id → seats taken, for rooms with a free seat on a live,
 *                                   non-draining node: matchmaking reads its top, O(log n)
 *   {tf}:rpc:<id>             pub/sub channel: requests to that node (open a room) and their answers
 */
export function keyPrefix(name: string): string {
  return `{${name}}:`;
}

export const nodesKey = (p: string) => `${p}nodes`;
export const rpcChannel = (p: string, nodeId: string) => `${p}rpc:${nodeId}`;
