/**
 * The soak of issue 12: a real server process, `npm run loadtest` with N bots, the hostile mix
 * (hostile-mix.ts) at a low rate and 8 well-behaved players (well-behaved.ts) beside them, for a
 * bounded time; then SIGTERM. Writes its figures (server RSS over time and its growth, the
 * well-behaved players' patch gaps, the loadtest's tick rate and errors, what each attack got, the
 * exit code and time) to --out as JSON, and stops by itself.
 *
 *   node --import tsx server/test/hostile/soak.ts --minutes 30 --bots 256 --out /tmp/soak.json
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHostileMix } from './hostile-mix';
import { startWellBehaved } from './well-behaved';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    bots: { type: 'string', default: '256' },
    out: { type: 'string', default: 'soak.json' },
    'attack-every-ms': { type: 'string', default: '200' },
  },
});
const seconds = Math.round(Number(values.minutes) * 60);
const bots = Number(values.bots);
const WARMUP_S = 20;
/** Seconds from the start after which memory counts as settled (see the growth figures below). */
const SETTLE_S = WARMUP_S + 100;
const log = (line: string) => console.error(`soak ${new Date().toISOString().slice(11, 19)}: ${line}`);

const rssMB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main(): Promise<void> {
  // Give up whatever happens: the run stops by itself.
  const hardStop = setTimeout(
    () => {
      log('hard time limit; exiting');
      process.exit(3);
    },
    (seconds + WARMUP_S + 180) * 1000,
  );
  hardStop.unref();

  // The production bundle, as an operator runs it (`npm start`): built first, so the RSS measured is
  // the server's and not a TypeScript loader's.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: ROOT, stdio: 'inherit' });
  const server = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CLIENT_DIR: '',
      // The attacks come "through a proxy" from many addresses; the bots from 127.0.0.1 unlimited
      // in rate, but bound like everyone in unclaimed seats.
      TRUST_PROXY: 'true',
      MATCHMAKE_RATE_LIMIT: '0',
      MAX_SEATS_PER_ADDRESS: '8',
      MAX_SEATS_PER_ADDRESS_IN_ROOM: '4',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverOut = '';
  server.stdout!.on('data', (c: Buffer) => (serverOut = (serverOut + c).slice(-20_000)));
  server.stderr!.on('data', (c: Buffer) => (serverOut = (serverOut + c).slice(-20_000)));
  const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
  let base: string | undefined;
  for (let i = 0; i < 400 && !base; i++) {
    base = /open (http:\/\/[\d.]+:\d+)/.exec(serverOut)?.[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!base) throw new Error(`server did not start: ${serverOut}`);
  log(`server ${server.pid} at ${base}; ${bots} bots for ${seconds} s after ${WARMUP_S} s warm-up`);

  // RSS beside the V8 heap and external (Buffer) memory the server reports, to tell a leak (heap
  // keeps rising) from the allocator keeping pages it freed (RSS rising, heap flat).
  const rss: Array<{ t: number; mb: number; heapMB?: number; externalMB?: number; rooms?: number; ticking?: number }> = [];
  const started = Date.now();
  const sample = () => {
    const s: (typeof rss)[number] = { t: Math.round((Date.now() - started) / 1000), mb: +rssMB(server.pid!).toFixed(1) };
    rss.push(s);
    fetch(`${base}/metrics`)
      .then((r) => r.text())
      .then((text) => {
        s.rooms = Number(/^tickforge_rooms (\d+)/m.exec(text)?.[1]);
        s.ticking = Number(/^tickforge_rooms_ticking (\d+)/m.exec(text)?.[1]);
        const mb = (name: string) => +(Number(new RegExp(`^tickforge_nodejs_${name} (\\S+)`, 'm').exec(text)?.[1]) / 2 ** 20).toFixed(1);
        s.heapMB = mb('heap_size_used_bytes');
        s.externalMB = mb('external_memory_bytes');
      })
      .catch(() => {});
  };
  sample();
  const sampler = setInterval(sample, 10_000);

  const reportFile = values.out.replace(/\.json$/, '') + '.loadtest.json';
  const loadtest = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'loadtest/src/cli.ts',
      '--url',
      base,
      '--bots',
      String(bots),
      '--duration',
      String(seconds),
      '--warmup',
      String(WARMUP_S),
      '--ramp',
      '20',
      '--out',
      reportFile,
      '--quiet',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let loadtestOut = '';
  loadtest.stdout!.on('data', (c: Buffer) => (loadtestOut += c));
  const loadtestExit = new Promise<number | null>((r) => loadtest.once('exit', (code) => r(code)));

  const good = await startWellBehaved(base, 8);
  const mix = startHostileMix(base, Number(values['attack-every-ms']));
  // Gaps count from the loadtest's measured window on (the ramp shares the machine with tsx starting workers).
  setTimeout(() => good.reset(), (WARMUP_S + 5) * 1000);
  const code = await loadtestExit;
  await mix.stop();
  const gaps = good.gaps();
  good.stop();
  clearInterval(sampler);
  sample();

  const sentAt = Date.now();
  server.kill('SIGTERM');
  const exitCode = await exited;
  const exitMs = Date.now() - sentAt;

  // Growth is settled memory against settled memory: the first minute and a half after the warm-up
  // is V8 sizing its heap to the load (RSS climbs until the first full collections, then drops), so
  // the baseline is the median of the minute after SETTLE_S, the end the median of the run's last
  // minute (the sample taken after the loadtest ended is left out: the bots are gone by then).
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const inRun = rss.slice(0, -1);
  const settled = inRun.filter((s) => s.t >= SETTLE_S);
  const first = (settled.length >= 12 ? settled : inRun).slice(0, 6);
  const last = inRun.slice(-6);
  const growth = (f: (s: (typeof rss)[number]) => number | undefined) => {
    const a = median(first.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v)));
    const b = median(last.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v)));
    return { fromMB: a, toMB: b, growthPercent: +(((b - a) / a) * 100).toFixed(2) };
  };
  const rssGrowth = growth((s) => s.mb);
  const heapGrowth = growth((s) => s.heapMB);
  const from = rssGrowth.fromMB;
  const to = rssGrowth.toMB;
  let report: Record<string, unknown> = {};
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    // the loadtest could not write it; its exit code says why
  }
  const figures = { ...report };
  delete figures.timeline;
  const result = {
    command: `node --import tsx server/test/hostile/soak.ts --minutes ${values.minutes} --bots ${bots} --out ${values.out}`,
    startedAt: new Date(started).toISOString(),
    seconds,
    bots,
    loadtestExit: code,
    loadtestSummary: loadtestOut.slice(-6000),
    loadtestFigures: figures,
    rss: { settledFromS: SETTLE_S, ...rssGrowth, heap: heapGrowth, maxMB: Math.max(...rss.map((s) => s.mb)), samples: rss },
    wellBehaved: gaps,
    hostile: mix.counts,
    shutdown: { exitCode, exitMs },
  };
  writeFileSync(values.out, JSON.stringify(result, null, 2));
  log(
    `done: RSS ${from} → ${to} MB (${rssGrowth.growthPercent}%; heap ${heapGrowth.fromMB} → ${heapGrowth.toMB} MB), max patch gap ${gaps.maxGapTicks} ticks, exit ${exitCode} in ${exitMs} ms → ${values.out}`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
