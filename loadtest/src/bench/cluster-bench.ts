/**
 * `npm run bench:cluster`: one node against two nodes of a cluster on this machine, the same
 * header-decoding loadtest against each. A local redis-server (emptied between runs), fresh
 * production server processes (ports, PUBLIC_URL, one SEAT_SECRET, as `npm run cluster` starts
 * them), the loadtest matchmaking through every node in turn and following the answers. Prints,
 * per run, the clients held, their patch rate, tick p99 over every room, and each node's share,
 * and writes bench/results/cluster-<date>.json and .md.
 *
 * On a 2-core machine the bots share the cores with the servers: this shows whether a second
 * process turns the second core into capacity, not what two dedicated machines would hold.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startRedis } from '../../../server/src/cluster/local-redis';
import type { Report } from '../report/report';
import { REPO_ROOT, startServer, type ServerProcess } from './server-process';

const HELP = `Usage: npm run bench:cluster -- [--bots N[,N...]] [--nodes 1,2] [--duration S] [--warmup S]

For each node count and each bot count: a fresh cluster of that many server processes on one
local Redis, the loadtest with --decode header through every node, and the figures side by side.
  --bots LIST      bot counts (default 512)
  --nodes LIST     node counts (default 1,2)
  --duration S     measured seconds per run (default 20)
  --warmup S       warm-up seconds (default 6)
  --out-dir DIR    default bench/results`;

interface ClusterRun {
  nodes: number;
  bots: number;
  report?: Report;
  problem?: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      bots: { type: 'string', default: '512' },
      nodes: { type: 'string', default: '1,2' },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '6' },
      'out-dir': { type: 'string', default: join(REPO_ROOT, 'bench/results') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const botCounts = values.bots!.split(',').map(Number);
  const nodeCounts = values.nodes!.split(',').map(Number);
  const outDir = values['out-dir']!;
  mkdirSync(join(outDir, 'tmp'), { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const environment = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    command: `npm run bench:cluster -- ${process.argv.slice(2).join(' ')}`.trim(),
  };
  const redis = await startRedis();
  const runs: ClusterRun[] = [];
  try {
    for (const bots of botCounts) {
      for (const nodes of nodeCounts) {
        await redis.command('FLUSHALL');
        const secret = randomBytes(24).toString('base64url');
        const servers: ServerProcess[] = [];
        for (let i = 0; i < nodes; i++) {
          const port = await freePort();
          servers.push(
            await startServer({
              env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, REDIS_URL: redis.url, SEAT_SECRET: secret, NODE_ID: `node-${i + 1}`, DRAIN_TIMEOUT_SECONDS: '0' },
            }),
          );
        }
        const urls = servers.map((s) => s.url).join(',');
        console.log(`\nbench:cluster: ${nodes} node(s) (${urls}), ${bots} header-decoding bots`);
        const json = join(outDir, 'tmp', `cluster-${stamp}-${nodes}n-${bots}.json`);
        const code = await loadtest([
          '--url',
          urls,
          '--bots',
          String(bots),
          '--decode',
          'header',
          '--duration',
          values.duration!,
          '--warmup',
          values.warmup!,
          '--quiet',
          '--out',
          json,
        ]);
        for (const s of servers) await s.stop();
        let report: Report | undefined;
        try {
          report = JSON.parse(readFileSync(json, 'utf8')) as Report;
          rmSync(json);
        } catch {
          report = undefined;
        }
        const problem = code === 0 || code === 1 ? (report?.aborted ?? undefined) : `loadtest exit ${code}`;
        runs.push({ nodes, bots, report, ...(problem ? { problem } : {}) });
      }
    }
  } finally {
    await redis.stop();
  }
  const md = [
    `## Cluster bench ${stamp} (${environment.cpus} × ${environment.cpuModel}, Node ${environment.node})`,
    '',
    `Command: \`${environment.command}\`; load average at start ${environment.loadavgAtStart.join(' ')}; servers and bots share the machine's cores (not pinned). ` +
      `Each run: fresh nodes on one local Redis, ${values.warmup} s warm-up, ${values.duration} s measured, decode header. Tick percentiles are upper bounds of 9%-wide buckets, over every room of every node.`,
    '',
    table(runs),
    '',
  ].join('\n');
  const base = join(outDir, `cluster-${stamp}`);
  writeFileSync(`${base}.json`, JSON.stringify({ environment, runs }, null, 2) + '\n');
  writeFileSync(`${base}.md`, md);
  console.log(`\n${md}\nbench:cluster: wrote ${base}.json and ${base}.md`);
  return runs.every((r) => r.report && !r.problem) ? 0 : 1;
}

function table(runs: ClusterRun[]): string {
  const f = (v: number | null | undefined, d: number) => (v === null || v === undefined ? '—' : v.toFixed(d));
  const lines = [
    '| nodes | bots | joined | ticks/s per room | patches/client-s | tick p99 ms | server CPU cores | CPU ms/client-s | held: 30.0 Hz, p99 < 5 ms | per node: clients / rooms / CPU / tick p99 |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of runs) {
    const rep = r.report;
    if (!rep) {
      lines.push(`| ${r.nodes} | ${r.bots} | — | — | — | — | — | — | ${r.problem ?? 'no report'} | |`);
      continue;
    }
    const s = rep.server;
    const rate = rep.bots.patchesPerClientSecond;
    // As npm run bench's "tick rate held": the rooms ticked at 30.0 Hz (≥ 29.95), every bot joined, p99 under 5 ms.
    const held = s.tickRate !== null && s.tickRate >= 29.95 && s.tick !== null && s.tick.p99 < 5 && rep.bots.joined === r.bots;
    const per = (rep.nodes ?? []).map((n) => `${f(n.avgClients, 0)} / ${f(n.avgRooms, 0)} / ${f(n.cpuCores, 2)} / ${f(n.tickP99Ms, 2)}`).join('; ');
    lines.push(
      `| ${r.nodes} | ${r.bots} | ${rep.bots.joined} | ${f(s.tickRate, 2)} | ${f(rate, 2)} | ${f(s.tick?.p99, 3)} | ${f(s.cpuCores, 2)} | ${f(s.cpuMsPerClientSecond, 3)} | ${held ? 'yes' : 'no'}${r.problem ? ` (${r.problem})` : ''} | ${per || '(one node)'} |`,
    );
  }
  return lines.join('\n');
}

function loadtest(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/src/cli.ts', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('bench:cluster:', err);
    process.exit(2);
  },
);
