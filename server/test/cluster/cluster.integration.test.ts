/**
 * A real cluster: one redis-server and three node processes (`node --import tsx server/src/main.ts`
 * with REDIS_URL, NODE_ID, PUBLIC_URL and a shared SEAT_SECRET), driven over HTTP and real game
 * sockets. In order, on the same cluster: matchmaking on one node seats you on another and a page
 * of the first plays there; every node lists every room and says what it sees; 200 matchmakes
 * racing at three nodes never overfill a room; Redis stopped under play (rooms tick on, matchmaking
 * 503) and back empty (nodes re-register within seconds); a node's SIGTERM (draining at once, its
 * room plays on, then 1001); a node's kill -9 (gone from every answer within 5 s).
 * Bounds are generous for a loaded 2-core machine; the figures are printed for the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, GameClient, reconnectUrl, type GameClientEvents } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { startRedis, type LocalRedis } from '../../src/cluster/local-redis';
import { closeOf, welcomed } from '../support/server';
import { fetchJson, matchmakeAt, startNode, type TestNode } from './cluster-nodes';
import { resolveOptions } from '../../../loadtest/src/options';
import { runLoadtest } from '../../../loadtest/src/run-loadtest';

let redis: LocalRedis;
let a: TestNode;
let b: TestNode;
let c: TestNode;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const env = { ALLOWED_ORIGINS: 'https://game.example.com', RECONNECT_GRACE_SECONDS: '20' };
  [a, b, c] = await Promise.all([startNode(redis.url, 'a', env), startNode(redis.url, 'b', env), startNode(redis.url, 'c', { ...env, DRAIN_TIMEOUT_SECONDS: '4' })]);
}, 60_000);

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  for (const n of [a, b, c]) n?.kill('SIGKILL');
  await redis?.stop();
});

const nodeOfUrl = (url: string) => [a, b, c].find((n) => new URL(url).port === String(n.port));

/** Opens the game socket of an answer as a browser page of `page` would (its Origin). */
async function play(url: string, page?: TestNode, events: GameClientEvents = {}) {
  const ws = new WebSocket(url, page ? { origin: page.base } : {});
  ws.on('error', () => {}); // a refusal shows as the close the test expects
  sockets.push(ws);
  const game = new GameClient(arena, ws as never, events);
  await welcomed(game, 10_000);
  return { ws, game };
}

/**
 * Matchmakes `create` through `via` until the room lands on a node `where` accepts. Placement picks
 * the least-loaded node (rooms, then players), so the wanted node comes up once the others hold as
 * many rooms: after an earlier test left it with a dozen more rooms than the rest (racing
 * quick-plays, rooms held for reconnection), that takes a few dozen creations, not a fixed few.
 * Every node must hold a lease (be in placement) when it is called.
 */
async function roomOn(via: TestNode, where: (n: TestNode) => boolean) {
  for (let i = 0; i < 40; i++) {
    const r = await matchmakeAt(via.base, { mode: 'arena', name: 'p', create: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (where(nodeOfUrl(r.body.url)!)) return r.body;
  }
  const seen = await Promise.all([a, b, c].map(async (n) => JSON.stringify((await fetchJson(`${n.base}/health`)).cluster)));
  throw new Error(`placement never chose the wanted node; the nodes see: ${seen.join(' ')}`);
}

/** Patches received by `game` over `ms`. */
async function patchesOver(game: GameClient<any, any>, ms: number): Promise<number> {
  const before = game.tick;
  await new Promise((r) => setTimeout(r, ms));
  return game.tick - before;
}

describe('a cluster of three nodes on one Redis', () => {
  it('matchmaking on node A seats you in a room on node B; a page of A plays there; the reconnect token goes back to B', async () => {
    const seat = await roomOn(a, (n) => n !== a);
    const owner = nodeOfUrl(seat.url)!;
    expect(seat.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${owner.port}/ws\\?token=`));
    // A page served by node A (its origin) opens the socket on the owner: the cluster's own origins are allowed.
    const { ws, game } = await play(seat.url, a);
    expect(game.roomId).toBe(seat.roomId);
    expect(await patchesOver(game, 500)).toBeGreaterThan(5);
    // A foreign page is refused there (ALLOWED_ORIGINS names only https://game.example.com).
    const foreign = new WebSocket(seat.url.replace('token=', 'token=x'), { origin: 'https://evil.example' });
    foreign.on('error', () => {});
    sockets.push(foreign);
    const refused = await new Promise<number>((resolve) => foreign.once('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(refused).toBe(403);
    // The connection drops; the reconnect token, resolved against the socket the player played on, returns to the owner.
    const token = game.reconnectToken;
    const playerId = game.playerId;
    ws.terminate();
    const back = await play(reconnectUrl(seat.url, token), a);
    expect(back.game.playerId).toBe(playerId);
    expect(new URL(reconnectUrl(seat.url, token)).port).toBe(String(owner.port));
    back.ws.close();
  });

  it('every node lists the rooms of every node, /health says which node it is and what it sees, /metrics carries the node id', async () => {
    const seat = await roomOn(b, (n) => n === c);
    const held = await play(seat.url);
    const deadline = Date.now() + 5000;
    let views: any[];
    for (;;) {
      views = await Promise.all([a, b, c].map((n) => fetchJson(`${n.base}/api/rooms?mode=arena`)));
      if (views.every((v) => v.some((r: any) => r.id === seat.roomId && r.players === 1))) break;
      if (Date.now() > deadline) throw new Error(`room not listed by every node: ${JSON.stringify(views)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const v of views) expect(v.find((r: any) => r.id === seat.roomId)).toMatchObject({ mode: 'arena', node: 'c', maxPlayers: 16 });
    const health = await fetchJson(`${a.base}/health`);
    expect(health).toMatchObject({ status: 'ok', node: 'a', cluster: { redis: 'up', node: { id: 'a', url: a.base, draining: false } } });
    expect(health.cluster.nodes.map((n: any) => n.id).sort()).toEqual(['a', 'b', 'c']);
    expect(health.cluster.nodes.find((n: any) => n.id === 'c')).toMatchObject({ url: c.base, draining: false });
    expect(await fetchJson(`${a.base}/health/ready`)).toEqual({ ready: true });
    const metrics = await (await fetch(`${c.base}/metrics`)).text();
    expect(metrics).toMatch(/^tickforge_rooms\{node="c"\} \d+/m);
    expect(metrics).toMatch(/^tickforge_clients\{node="c"\} 1$/m);
    held.ws.close();
  });

  it('200 matchmakes at three nodes at once: no room over 16, rooms packed, every answer a usable seat, every socket seated', async () => {
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => matchmakeAt([a, b, c][i % 3]!.base, { mode: 'arena', name: `racer-${i}` })));
    const matchmakeMs = performance.now() - t0;
    expect(answers.map((r) => r.status)).toEqual(Array(200).fill(200));
    const perRoom = new Map<string, number>();
    for (const r of answers) perRoom.set(r.body.roomId, (perRoom.get(r.body.roomId) ?? 0) + 1);
    expect(Math.max(...perRoom.values())).toBeLessThanOrEqual(16);
    // Packed: a room opens only when every registered room is full, and each node opens one at a
    // time for its quick-plays, so at most 3 rooms (one a node) are left part-full: 12 full + 3.
    expect(perRoom.size).toBeLessThanOrEqual(Math.floor(200 / 16) + 3);
    expect(new Set(answers.map((r) => r.body.token)).size).toBe(200);
    const seated = await Promise.all(answers.map((r) => play(r.body.url)));
    expect(seated.every((s) => s.game.welcomed)).toBe(true);
    const rooms = (await fetchJson(`${a.base}/api/rooms?mode=arena`)) as any[];
    for (const r of rooms) expect(r.seatsTaken).toBeLessThanOrEqual(16);
    const playersByRoom = new Map(rooms.map((r) => [r.id, r.seatsTaken]));
    for (const [id, n] of perRoom) expect(playersByRoom.get(id)).toBeGreaterThanOrEqual(n);
    console.log(`200 matchmakes at 3 nodes: ${matchmakeMs.toFixed(0)} ms in all, into ${perRoom.size} rooms (largest ${Math.max(...perRoom.values())})`);
    for (const s of seated) s.ws.close();
  }, 60_000);

  it('the loadtest matchmakes through two nodes, follows the answers, and reports every node of the cluster', async () => {
    const options = resolveOptions({ url: `${a.base},${b.base}`, bots: '12', duration: '2', warmup: '1.5', decode: 'header', workers: '1', quiet: true });
    const report = await runLoadtest(options);
    expect(report.bots.joined).toBe(12);
    expect(report.nodes!.map((n) => n.url).sort()).toEqual([a.base, b.base, c.base].sort());
    const clients = report.nodes!.reduce((n, x) => n + (x.avgClients ?? 0), 0);
    expect(clients).toBeGreaterThanOrEqual(12); // the bots, and any player an earlier test left
    expect(report.nodes!.every((n) => n.avgRooms !== null)).toBe(true);
  }, 30_000);

  it('Redis stopped under play: the room ticks on at its rate and matchmaking answers 503; back empty, the nodes re-register within seconds', async () => {
    const seat = await roomOn(a, (n) => n === b);
    const { game } = await play(seat.url, a);
    await redis.stop();
    const refused = await matchmakeAt(a.base, { mode: 'arena', name: 'late' });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('TF_ERR_DIRECTORY_UNAVAILABLE');
    expect((await fetchJson(`${b.base}/health`)).cluster.redis).toBe('down');
    // 2 s without Redis: the player gets every tick (30 Hz; ≥ 50 of 60 on a loaded machine).
    expect(await patchesOver(game, 2000)).toBeGreaterThanOrEqual(50);

    await redis.start(); // on the same port, empty
    const t0 = Date.now();
    for (;;) {
      const rooms = await fetchJson(`${a.base}/api/rooms`).catch(() => []);
      const health = await fetchJson(`${a.base}/health`).catch(() => undefined);
      if (Array.isArray(rooms) && rooms.some((r: any) => r.id === seat.roomId) && health?.cluster?.nodes?.length === 3) break;
      if (Date.now() - t0 > 10_000) throw new Error('the cluster did not re-register within 10 s of Redis coming back');
      await new Promise((r) => setTimeout(r, 50));
    }
    const recoveredS = (Date.now() - t0) / 1000;
    console.log(`Redis restarted empty: rooms and leases back in every answer ${recoveredS.toFixed(2)} s later`);
    expect(recoveredS).toBeLessThan(5);
    // Matchmaking works again, into the re-registered room (the fullest open one).
    const again = await matchmakeAt(a.base, { mode: 'arena', name: 'after', roomId: seat.roomId });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await play(again.body.url);

    // FLUSHALL under a running Redis: the same, faster.
    await redis.command('FLUSHALL');
    const t1 = Date.now();
    for (;;) {
      const rooms = await fetchJson(`${c.base}/api/rooms`);
      const health = await fetchJson(`${c.base}/health`);
      if (rooms.some((r: any) => r.id === seat.roomId && r.players === 2) && health.cluster.nodes.length === 3) break;
      if (Date.now() - t1 > 10_000) throw new Error('not re-registered within 10 s of FLUSHALL');
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`FLUSHALL: rooms and leases back in every answer ${((Date.now() - t1) / 1000).toFixed(2)} s later`);
    expect(await patchesOver(game, 500)).toBeGreaterThan(5);
  }, 40_000);

  it("a node's SIGTERM drains it at once: no new rooms or seats there, its rooms play on until empty or the drain timeout, then 1001", async () => {
    const seat = await roomOn(a, (n) => n === c);
    const { ws, game } = await play(seat.url);
    const closed = closeOf(ws);
    const other = await roomOn(a, (n) => n === c);
    const leaver = await play(other.url);
    const sent = Date.now();
    c.kill('SIGTERM');
    for (;;) {
      const health = await fetchJson(`${a.base}/health`);
      if (health.cluster.nodes.find((n: any) => n.id === 'c')?.draining) break;
      if (Date.now() - sent > 3000) throw new Error('c not draining within 3 s of SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Readiness says so: a load balancer stops sending players here.
    expect((await fetch(`${c.base}/health/ready`)).status).toBe(503);
    const joinDrained = await matchmakeAt(a.base, { mode: 'arena', name: 'x', roomId: seat.roomId });
    expect(joinDrained.status).toBe(409);
    expect(joinDrained.body.code).toBe('TF_ERR_ROOM_DRAINING');
    for (let i = 0; i < 4; i++) {
      const r = await matchmakeAt(c.base, { mode: 'arena', name: 'y', create: true });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(nodeOfUrl(r.body.url)).not.toBe(c);
    }
    expect(await patchesOver(game, 1000)).toBeGreaterThan(20);
    // A room that empties while draining closes then, without waiting for the timeout.
    leaver.ws.close();
    for (;;) {
      const rooms = await fetchJson(`${a.base}/api/rooms`);
      if (!rooms.some((r: any) => r.id === other.roomId)) break;
      if (Date.now() - sent > 3500) throw new Error('the emptied room was still listed 3.5 s after SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
    }
    const end = await closed;
    expect(end.code).toBe(CloseCode.GOING_AWAY);
    const drainedS = (Date.now() - sent) / 1000;
    expect(drainedS).toBeGreaterThan(3.5);
    expect(await c.exited).toBe(0);
    console.log(`SIGTERM: draining in the directory at once, room closed 1001 after ${drainedS.toFixed(2)} s (DRAIN_TIMEOUT_SECONDS=4); the room that emptied closed at once`);
  }, 20_000);

  it('a node killed with SIGKILL is out of every answer (room lists, matchmaking, placement) within 5 s, with its rooms', async () => {
    const seat = await roomOn(a, (n) => n === b);
    await play(seat.url);
    b.kill('SIGKILL');
    const t0 = Date.now();
    const gone = { list: 0, health: 0, join: 0 };
    while (!gone.list || !gone.health || !gone.join) {
      const at = (Date.now() - t0) / 1000;
      if (!gone.list && !(await fetchJson(`${a.base}/api/rooms`)).some((r: any) => r.node === 'b')) gone.list = at;
      if (!gone.health && !(await fetchJson(`${a.base}/health`)).cluster.nodes.some((n: any) => n.id === 'b')) gone.health = at;
      if (!gone.join && (await matchmakeAt(a.base, { mode: 'arena', name: 'z', roomId: seat.roomId })).status === 404) gone.join = at;
      if (Date.now() - t0 > 8000) throw new Error(`node b still answered 8 s after kill -9: ${JSON.stringify(gone)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`kill -9: out of room lists after ${gone.list.toFixed(2)} s, of /health after ${gone.health.toFixed(2)} s, of matchmaking after ${gone.join.toFixed(2)} s`);
    expect(Math.max(gone.list, gone.health, gone.join)).toBeLessThan(5);
    // Placement: new rooms now go only to the live node(s).
    for (let i = 0; i < 3; i++) {
      const r = await matchmakeAt(a.base, { mode: 'arena', name: 'w', create: true });
      expect(nodeOfUrl(r.body.url)).toBe(a);
    }
  }, 20_000);
});
