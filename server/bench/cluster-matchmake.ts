/**
 * Matchmaking latency and throughput of a cluster: one local redis-server, three node processes,
 * 1,000 rooms opened across them (each held open by its creator's pending seat; TICK_RATE=5 so
 * the idle rooms cost the shared machine little), then join-or-create matchmakes through the
 * three nodes in turn at a fixed concurrency. Prints p50/p99 of room creation (placement plus, for
 * a room placed on another node, the pub/sub request) and of joins, and joins per second.
 *
 *   node --import tsx server/bench/cluster-matchmake.ts [--rooms 1000] [--joins 3000] [--concurrency 32]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startRedis } from '../src/cluster/local-redis';
import { matchmakeAt, startNode, type TestNode } from '../test/cluster/cluster-nodes';

const { values } = parseArgs({
  options: { rooms: { type: 'string', default: '1000' }, joins: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '32' } },
});
const ROOMS = Number(values.rooms);
const JOINS = Number(values.joins);
const CONCURRENCY = Number(values.concurrency);

const redis = await startRedis();
const env = { TICK_RATE: '5', SEAT_TTL_SECONDS: '600', MAX_ROOMS: String(ROOMS) };
const nodes: TestNode[] = await Promise.all(['n1', 'n2', 'n3'].map((id) => startNode(redis.url, id, env)));
try {
  const create = await timed(ROOMS, (i) => matchmakeAt(nodes[i % 3]!.base, { mode: 'arena', name: `c${i}`, create: true }));
  const perNode = new Map<string, number>();
  for (const r of create.answers) {
    const port = new URL(r.body.url).port;
    perNode.set(port, (perNode.get(port) ?? 0) + 1);
  }
  console.log(`rooms: ${ROOMS} created, per node (by port) ${JSON.stringify(Object.fromEntries(perNode))}; ${await redis.command('DBSIZE')}`.trim());
  report('create (placement + open on the chosen node)', create);
  await redis.command('CONFIG', 'RESETSTAT');
  const join = await timed(JOINS, (i) => matchmakeAt(nodes[i % 3]!.base, { mode: 'arena', name: `j${i}` }));
  report(`join-or-create among ${ROOMS} rooms`, join);
  // Redis's own view: what the scripts cost it during the joins (heartbeats of 3 nodes included).
  const stats = await redis.command('INFO', 'commandstats');
  for (const line of stats.split('\r\n').filter((l) => /^cmdstat_(evalsha|eval|publish):/.test(l))) console.log(`redis ${line}`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${cpus().length} cores)`,
  );
} finally {
  for (const n of nodes) n.kill('SIGKILL');
  await redis.stop();
}

async function timed(n: number, call: (i: number) => Promise<{ status: number; body: any }>) {
  const latencies: number[] = [];
  const answers: { status: number; body: any }[] = [];
  let next = 0;
  let failed = 0;
  const codes = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        const r = await call(i);
        latencies.push(performance.now() - s);
        if (r.status !== 200) {
          failed++;
          codes.set(r.body.code, (codes.get(r.body.code) ?? 0) + 1);
        } else answers.push(r);
      }
    }),
  );
  return { latencies, answers, failed, codes, seconds: (performance.now() - t0) / 1000 };
}

function report(what: string, r: { latencies: number[]; failed: number; codes: Map<string, number>; seconds: number }) {
  const sorted = [...r.latencies].sort((x, y) => x - y);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  console.log(
    `${what}: ${sorted.length} calls at concurrency ${CONCURRENCY}, ${r.failed} failed${r.failed ? ` ${JSON.stringify(Object.fromEntries(r.codes))}` : ''}; p50 ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; ${(sorted.length / r.seconds).toFixed(0)}/s`,
  );
}
