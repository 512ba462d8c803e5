/**
 * The directory's Lua scripts. Each runs atomically in Redis, so a decision and the writes it
 * leads to cannot interleave with another node's: this is what makes seats race-free across
 * nodes (no room over its maximum, no seat given twice) without locks or retries.
 *
 * Time is Redis's own (TIME), so leases, seat expiries and liveness checks share one clock
 * whatever the nodes' clocks say. Liveness is read where it is used: every answer checks the
 * owning node's lease expiry in `{tf}:nodes`, so a node whose lease ran out is gone from room
 * lists, matchmaking and placement at once; the reaper (run by every node's heartbeat) then
 * deletes what it left behind.
 *
 * Matchmaking never scans: join-or-create reads the top of the mode's `open` sorted set (rooms
 * with a free seat, scored by seats taken: the fullest first) and examines at most
 * MAX_EXAMINED entries, each of which it either seats into or removes from the index.
 */

/** Shared by every script: ARGV[1] is the key prefix; NOW is Redis's clock in ms. */
const PRELUDE = `
local P = ARGV[1]
local t = redis.call('TIME')
local NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function nodeKey(id) return P .. 'node:' .. id end
local function roomKey(id) return P .. 'room:' .. id end
local function alive(id)
  local s = redis.call('ZSCORE', P .. 'nodes', id)
  return s and tonumber(s) > NOW
end
local function draining(id) return redis.call('HGET', nodeKey(id), 'draining') == '1' end
local function pending(id)
  local k = roomKey(id) .. ':seats'
  redis.call('ZREMRANGEBYSCORE', k, '-inf', NOW)
  return redis.call('ZCARD', k)
end
-- A seat in room id, or nil and why ('gone', 'draining', 'full').
local function reserve(id, ttl, skew)
  local rk = roomKey(id)
  local r = redis.call('HMGET', rk, 'node', 'mode', 'max', 'taken', 'epoch')
  if not r[1] then return nil, 'gone' end
  local node = r[1]
  if not alive(node) then return nil, 'gone' end
  if draining(node) then return nil, 'draining' end
  local open = P .. 'open:' .. r[2]
  local max = tonumber(r[3])
  local n = tonumber(r[4]) + pending(id)
  if n >= max then
    redis.call('ZREM', open, id)
    return nil, 'full'
  end
  local seat = 'c-' .. r[5] .. '-' .. redis.call('HINCRBY', rk, 'seq', 1)
  local expiresAt = NOW + ttl
  redis.call('ZADD', rk .. ':seats', expiresAt + skew, seat)
  n = n + 1
  if n >= max then redis.call('ZREM', open, id) else redis.call('ZADD', open, n, id) end
  return {'ok', id, r[2], node, redis.call('HGET', nodeKey(node), 'url') or '', seat, expiresAt, n}
end
`;

/**
 * Matchmaking. ARGV: prefix, mode, roomId ('' for any), seat ttl ms, skew ms, max examined.
 * Answers {'ok', roomId, mode, node, nodeUrl, seatId, expiresAt, seatsTaken, examined},
 * {'err', why} for a given room, or {'none', examined} when no room has a seat (create one).
 */
export const MATCHMAKE = `${PRELUDE}
local mode, roomId, ttl, skew, maxExamined = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
if roomId ~= '' then
  local m = redis.call('HGET', roomKey(roomId), 'mode')
  if not m then return {'err', 'gone'} end
  if m ~= mode then return {'err', 'mode'} end
  local s, why = reserve(roomId, ttl, skew)
  if not s then return {'err', why} end
  s[#s + 1] = 1
  return s
end
local open = P .. 'open:' .. mode
local examined = 0
while examined < maxExamined do
  local ids = redis.call('ZREVRANGEBYSCORE', open, '+inf', '-inf', 'LIMIT', 0, 8)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    examined = examined + 1
    local s, why = reserve(id, ttl, skew)
    if s then
      s[#s + 1] = examined
      return s
    end
    if why ~= 'full' then redis.call('ZREM', open, id) end
  end
end
return {'none', examined}
`;

/**
 * Placement of a new room: the least-loaded live node that is not draining, or false. ARGV:
 * prefix, load added to the chosen node (so a burst of creations spreads before the next leases).
 */
export const PLACE = `${PRELUDE}
local key = P .. 'placement'
for _ = 1, 64 do
  local ids = redis.call('ZRANGE', key, 0, 0)
  if #ids == 0 then return false end
  local id = ids[1]
  if alive(id) and not draining(id) then
    redis.call('ZINCRBY', key, tonumber(ARGV[2]), id)
    return id
  end
  redis.call('ZREM', key, id)
end
return false
`;

/**
 * A room's published state, upserted: (re)creates the room's entry if it is missing (new room, or
 * Redis lost it), forgets the seats that were taken, and keeps the open index right.
 * Used inside HEARTBEAT and REGISTER. Arguments from ARGV[i]: roomId, mode, max, taken, players,
 * tick, taken seat ids (comma-separated).
 */
const UPSERT = `
local function upsert(node, i, isDraining)
  local id, mode, max, taken = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local rk = roomKey(id)
  if redis.call('EXISTS', rk) == 0 then
    redis.call('HSET', rk, 'node', node, 'mode', mode, 'max', max, 'seq', 0, 'epoch', NOW, 'created', NOW)
    redis.call('SADD', nodeKey(node) .. ':rooms', id)
  end
  local used = ARGV[i + 6]
  if used ~= '' then
    for seat in string.gmatch(used, '[^,]+') do redis.call('ZREM', rk .. ':seats', seat) end
  end
  redis.call('HSET', rk, 'taken', taken, 'players', ARGV[i + 4], 'tick', ARGV[i + 5])
  local n = taken + pending(id)
  local open = P .. 'open:' .. mode
  if not isDraining and n < max then redis.call('ZADD', open, n, id) else redis.call('ZREM', open, id) end
end
`;

/** Removes every trace of a dead node (lease expired): its rooms leave every index. */
const REAP = `
local function reapNode(id)
  local rooms = nodeKey(id) .. ':rooms'
  for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
    local mode = redis.call('HGET', roomKey(room), 'mode')
    if mode then redis.call('ZREM', P .. 'open:' .. mode, room) end
    redis.call('DEL', roomKey(room))
    -- The pending seats outlive the room's entry until the last of them expires: a node that was
    -- only stalled past its lease finds them when it registers its rooms again, so no seat it
    -- still honours is given a second time.
    local seats = roomKey(room) .. ':seats'
    local last = redis.call('ZRANGE', seats, -1, -1, 'WITHSCORES')
    if last[2] then redis.call('PEXPIREAT', seats, math.floor(tonumber(last[2]))) end
  end
  redis.call('DEL', rooms, nodeKey(id))
  redis.call('ZREM', P .. 'nodes', id)
  redis.call('ZREM', P .. 'placement', id)
end
local function reap(limit)
  local dead = redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', NOW, 'LIMIT', 0, limit)
  for _, id in ipairs(dead) do reapNode(id) end
  return #dead
end
`;

/**
 * A node's heartbeat, every second: reap dead nodes, renew this node's lease, publish the rooms
 * whose state changed. ARGV: prefix, node, lease ttl ms, url, clients, rooms, draining (0/1),
 * load (placement score; negative: the node is full and leaves placement), startedAt, then 7
 * fields per room (see UPSERT).
 * Answers {leaseExisted (0/1), now, reaped, liveNodeIds...}: a node whose lease did not exist
 * (first beat, or Redis restarted or emptied, or its lease ran out) publishes all its rooms next.
 */
export const HEARTBEAT = `${PRELUDE}${UPSERT}${REAP}
local node, ttl, isDraining = ARGV[2], tonumber(ARGV[3]), ARGV[7] == '1'
local reaped = reap(16)
local nk = nodeKey(node)
local existed = redis.call('EXISTS', nk)
redis.call('ZADD', P .. 'nodes', NOW + ttl, node)
redis.call('HSET', nk, 'url', ARGV[4], 'clients', ARGV[5], 'rooms', ARGV[6], 'draining', ARGV[7], 'startedAt', ARGV[9])
redis.call('PEXPIRE', nk, ttl)
local load = tonumber(ARGV[8])
if isDraining or load < 0 then redis.call('ZREM', P .. 'placement', node) else redis.call('ZADD', P .. 'placement', load, node) end
for i = 10, #ARGV, 7 do upsert(node, i, isDraining) end
local out = {existed, NOW, reaped}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'nodes', '(' .. NOW, '+inf')) do out[#out + 1] = id end
return out
`;

/**
 * A room just opened on this node, with its first seat when `reserve` is 1. ARGV: prefix, node,
 * seat ttl ms, skew ms, reserve, then the room's 7 fields (see UPSERT). Answers like MATCHMAKE,
 * {'ok'} without a seat, or {'err', 'lease'} when this node holds no lease (Redis was emptied and
 * the next heartbeat has not re-registered it yet).
 */
export const REGISTER = `${PRELUDE}${UPSERT}
local node = ARGV[2]
if not alive(node) then return {'err', 'lease'} end
upsert(node, 6, draining(node))
if ARGV[5] ~= '1' then return {'ok'} end
local s, why = reserve(ARGV[6], tonumber(ARGV[3]), tonumber(ARGV[4]))
if not s then return {'err', why} end
s[#s + 1] = 0
return s
`;

/**
 * An empty room asks to close. ARGV: prefix, node, roomId, taken seat ids (comma-separated).
 * Answers 1 (closed in the directory: dispose it) or 0 (a seat reserved in it is still on its way:
 * keep it open).
 */
export const RETIRE = `${PRELUDE}
local node, id, used = ARGV[2], ARGV[3], ARGV[4]
local rk = roomKey(id)
if redis.call('EXISTS', rk) == 0 then return 1 end
if used ~= '' then
  for seat in string.gmatch(used, '[^,]+') do redis.call('ZREM', rk .. ':seats', seat) end
end
if pending(id) > 0 then return 0 end
local mode = redis.call('HGET', rk, 'mode')
redis.call('ZREM', P .. 'open:' .. mode, id)
redis.call('DEL', rk, rk .. ':seats')
redis.call('SREM', nodeKey(node) .. ':rooms', id)
return 1
`;

/** The node starts draining: out of placement, its rooms out of the open index at once. ARGV: prefix, node. */
export const DRAIN = `${PRELUDE}
local node = ARGV[2]
redis.call('HSET', nodeKey(node), 'draining', '1')
redis.call('ZREM', P .. 'placement', node)
for _, id in ipairs(redis.call('SMEMBERS', nodeKey(node) .. ':rooms')) do
  local mode = redis.call('HGET', roomKey(id), 'mode')
  if mode then redis.call('ZREM', P .. 'open:' .. mode, id) end
end
return 1
`;

/** A node leaves cleanly (its rooms are closed): its lease and everything it published go. ARGV: prefix, node. */
export const DEREGISTER = `${PRELUDE}${REAP}
reapNode(ARGV[2])
return 1
`;

/**
 * Rooms of every live node (GET /api/rooms). ARGV: prefix, mode ('' for all). Answers flat
 * groups of 7: id, mode, players, seatsTaken, max, tick, node.
 */
export const LIST = `${PRELUDE}
local mode = ARGV[2]
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', P .. 'nodes', '(' .. NOW, '+inf')) do
  for _, id in ipairs(redis.call('SMEMBERS', nodeKey(node) .. ':rooms')) do
    local r = redis.call('HMGET', roomKey(id), 'mode', 'players', 'taken', 'max', 'tick')
    if r[1] and (mode == '' or r[1] == mode) then
      local seats = tonumber(r[3]) + redis.call('ZCOUNT', roomKey(id) .. ':seats', '(' .. NOW, '+inf')
      out[#out + 1] = id
      out[#out + 1] = r[1]
      out[#out + 1] = r[2]
      out[#out + 1] = seats
      out[#out + 1] = r[4]
      out[#out + 1] = r[5]
      out[#out + 1] = node
    end
  end
end
return out
`;

/** The live nodes as seen in their leases (GET /health). ARGV: prefix. Flat groups of 7. */
export const NODES = `${PRELUDE}
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'nodes', '(' .. NOW, '+inf', 'WITHSCORES')) do out[#out + 1] = id end
local res = {}
for i = 1, #out, 2 do
  local id = out[i]
  local h = redis.call('HMGET', nodeKey(id), 'url', 'clients', 'rooms', 'draining', 'startedAt')
  res[#res + 1] = id
  res[#res + 1] = h[1] or ''
  res[#res + 1] = h[2] or '0'
  res[#res + 1] = h[3] or '0'
  res[#res + 1] = h[4] or '0'
  res[#res + 1] = tonumber(out[i + 1]) - NOW
  res[#res + 1] = h[5] or '0'
end
return res
`;

/** Entries of the open index a join-or-create matchmake examines at most before opening a room. */
export const MAX_EXAMINED = 32;
