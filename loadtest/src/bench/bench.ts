/**
 * `npm run bench`: for each scale of the reference workload, starts a fresh production server,
 * runs the loadtest against it, and stops it; then writes bench/results/<date>.json (every report)
 * and <date>.md (the table, and where the 256-client run stands against the targets).
 * With two or more cores and taskset, the server runs on one core and the bots on another, so
 * their CPU does not mix (--pin).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Report } from '../report/report';
import { benchTable, mediansTable, targetsTable, type BenchRun } from './bench-table';
import { formatProfileSummary, summarizeProfile, type ProfileSummary } from './profile-summary';
import { allowedCores, hasTaskset } from './cores';
import { runScale } from './run-scale';
import { REPO_ROOT } from './server-process';

interface Scale {
  name: string;
  args: string[];
  /** The server's environment for this scale. */
  env?: Record<string, string>;
  /** A script to run instead of our server (the floor). */
  entry?: { script: string; args: string[] };
}

/**
 * The WORKLOAD.md scales, plus 256 clients: the scale the issue's targets are set at; and the big
 * world's 200 in one room, with and without interest, and the floor of such a room (issue 16: not in
 * the default list; name them, repeated to interleave: --scales bigworld-open,bigworld,bigworld-open,bigworld).
 */
const SCALES: Scale[] = [
  { name: 'small', args: ['--preset', 'small'] },
  { name: 'medium', args: ['--preset', 'medium'] },
  { name: '256', args: ['--preset', 'large', '--bots', '256'] },
  { name: 'large', args: ['--preset', 'large'] },
];
const BIG_WORLD_SCALES: Scale[] = [
  { name: 'bigworld', args: ['--preset', 'bigworld'] },
  { name: 'bigworld-open', args: ['--preset', 'bigworld-open'] },
  // The same with the sockets in one gateway process (GATEWAYS=1): the room's thread does not write to them.
  { name: 'bigworld-gateway', args: ['--preset', 'bigworld'], env: { GATEWAYS: '1' } },
  { name: 'bigworld-open-gateway', args: ['--preset', 'bigworld-open'], env: { GATEWAYS: '1' } },
  // The machine's floor for that room, in the same run: a server that does nothing per tick but
  // write 200 pre-framed patches of the interest path's mean size (floor-server.ts). Its tick
  // percentiles are what the writes and the machine alone cost, so the tail below them is not ours.
  {
    name: 'bigworld-floor',
    args: ['--bots', '200'],
    entry: { script: 'loadtest/src/bench/floor-server.ts', args: ['--room-size', '200', '--patch-bytes', '39'] },
  },
];

const HELP = `Usage: npm run bench -- [options]

Runs the loadtest at each scale against a fresh production server (the compiled build,
node server/dist/main.js, which npm run bench builds first, on a free port) and writes
bench/results/<date>.json and .md.

Options:
  --scales LIST      comma-separated, from ${SCALES.map((s) => s.name).join(', ')} (default all), or
                     ${BIG_WORLD_SCALES.map((s) => s.name).join(', ')} (200 bots in one room; repeat names to interleave)
  --pin auto|yes|no  server on one core, bots on another, with taskset (default auto: when there
                     are 2+ usable cores, taskset exists and the 1-minute load average is below 1)
  --duration S       measured seconds per run (default the preset's, 30)
  --warmup S         warm-up seconds per run (default the preset's, 5)
  --decode MODE      full (default) or header
  --input MODEL      workload (default) or human: the bots' input model (loadtest --help)
  --profile SCALE    after the table's runs, run that scale once more with the server under
                     --cpu-prof and summarise where its CPU went in the measured window
                     (profile saved under bench/results/tmp/; the table is not from this run)
  --out-dir DIR      default bench/results
  --vs-colyseus      instead: ours, Colyseus 0.18 and the floor interleaved in one run
                     (npm run bench -- --vs-colyseus --help)
  --capacity         instead: clients one server holds, from 256 up until it breaks
                     (npm run bench -- --capacity --help)
  -h, --help`;

async function main(): Promise<number> {
  // The two other benches share the command; each parses its own options.
  const rest = process.argv.slice(2);
  if (rest.includes('--vs-colyseus')) return (await import('./vs-colyseus')).vsColyseus(rest.filter((a) => a !== '--vs-colyseus'));
  if (rest.includes('--capacity')) return (await import('./capacity')).capacity(rest.filter((a) => a !== '--capacity'));
  const { values } = parseArgs({
    options: {
      scales: { type: 'string' },
      pin: { type: 'string', default: 'auto' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      decode: { type: 'string' },
      input: { type: 'string' },
      profile: { type: 'string' },
      'out-dir': { type: 'string', default: join(REPO_ROOT, 'bench/results') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const names = values.scales ? values.scales.split(',').map((s) => s.trim()) : SCALES.map((s) => s.name);
  const scales = names.map((n) => [...SCALES, ...BIG_WORLD_SCALES].find((s) => s.name === n));
  if (scales.some((s) => !s)) {
    console.error(`bench: unknown scale in ${values.scales}; known: ${[...SCALES, ...BIG_WORLD_SCALES].map((s) => s.name).join(', ')}`);
    return 2;
  }
  const cores = allowedCores();
  // On a busy machine a pinned process shares its one core with whatever else runs there, while
  // the scheduler would move it to the idler one: pin only when the machine is quiet.
  const busy = loadavg()[0]! >= 1;
  const pin = values.pin === 'yes' || (values.pin === 'auto' && cores.length >= 2 && hasTaskset() && !busy);
  if (values.pin === 'auto' && busy) console.log(`bench: not pinning: the load average is ${loadavg()[0]!.toFixed(2)}, other processes would share the pinned cores`);
  if (values.pin === 'yes' && (cores.length < 2 || !hasTaskset())) {
    console.error('bench: --pin yes needs taskset and two usable cores');
    return 2;
  }
  const [serverCpu, botCpu] = pin ? [cores[0]!, cores[1]!] : [undefined, undefined];
  const outDir = values['out-dir']!;
  const tmpDir = join(outDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const extra = [
    ...(values.duration ? ['--duration', values.duration] : []),
    ...(values.warmup ? ['--warmup', values.warmup] : []),
    ...(values.decode ? ['--decode', values.decode] : []),
    ...(values.input ? ['--input', values.input] : []),
  ];
  const environment = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    pinned: pin ? { server: serverCpu, bots: botCpu } : null,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  };
  console.log(`bench: ${names.join(', ')}; ${pin ? `server on core ${serverCpu}, bots on core ${botCpu}` : 'not pinned'}; load average ${environment.loadavgAtStart.join(' ')}`);

  const runOne = (scale: Scale, profDir?: string) =>
    runScale({
      // A profiled server is never pinned: V8's sampler thread would share the server's one core and
      // run only while the server sleeps, so the profile would show it mostly idle (measured here: 26
      // of 162 ms/s busy at medium).
      server: { cpu: profDir ? undefined : serverCpu, cpuProfDir: profDir, ...(scale.env && { env: scale.env }), ...(scale.entry && { entry: scale.entry }) },
      args: [...scale.args, ...extra, ...(pin ? ['--workers', '1'] : [])],
      botCpu,
      json: join(tmpDir, `${stamp}-${scale.name}${profDir ? '-profiled' : ''}.json`),
      label: `${scale.name}${profDir ? ' (profiled)' : ''}`,
    });

  const runs: BenchRun[] = [];
  for (const scale of scales as Scale[]) {
    const { report, problem } = await runOne(scale);
    runs.push({ scale: scale.name, report, ...(problem ? { problem } : {}) });
  }

  // The profile comes from a run of its own: --cpu-prof costs the server CPU (at medium here 2.3 ms
  // per client-second profiled against 1.4 unprofiled), so its figures do not belong in the table.
  let profileText: string | undefined;
  let profileRun: { scale: string; report: Report | undefined; summary: ProfileSummary | undefined } | undefined;
  const profiled = [...SCALES, ...BIG_WORLD_SCALES].find((s) => s.name === values.profile);
  if (values.profile && !profiled) console.log(`bench: no scale "${values.profile}" to profile`);
  if (profiled) {
    const profDir = join(tmpDir, `${stamp}-${profiled.name}-cpuprofile`);
    const { report, exitedAt } = await runOne(profiled, profDir);
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file && report) {
      // Only the measured window: start-up (module loading) and shutdown are not the server's work.
      const window = { fromEndMs: exitedAt - report.window.fromEpochMs, toEndMs: exitedAt - report.window.toEpochMs };
      const summary = summarizeProfile(JSON.parse(readFileSync(join(profDir, file), 'utf8')), 25, window);
      profileText = formatProfileSummary(summary);
      profileRun = { scale: profiled.name, report, summary };
      console.log(`\nbench: where the server's CPU went during ${profiled.name} (${join(profDir, file)}):\n${profileText}`);
    } else console.log('bench: the profiled run left no CPU profile or no report');
  }

  const table = benchTable(runs);
  const medians = mediansTable(runs);
  const at256 = runs.find((r) => r.scale === '256')?.report;
  const md = [
    `## Bench ${stamp} (${environment.cpus} × ${environment.cpuModel}, Node ${environment.node})`,
    '',
    `Command: \`${environment.command}\`; ${pin ? `server pinned to core ${serverCpu}, bots to core ${botCpu} (one worker)` : `not pinned (bots: ${availableParallelism()} workers)`}; load average at start ${environment.loadavgAtStart.join(' ')}. ` +
      `Each scale: fresh server, ${values.warmup ?? 5} s warm-up, ${values.duration ?? 30} s measured, decode ${values.decode ?? 'full'}, input ${values.input ?? 'workload'}. ` +
      'Tick percentiles are upper bounds of 9%-wide buckets.',
    '',
    table,
    '',
    ...(medians ? [medians, ''] : []),
    targetsTable(at256),
    ...(profileText && profileRun?.report
      ? [
          '',
          `Server CPU profile of a separate, unpinned ${values.profile} run (self time in its measured window; the server used ` +
            `${profileRun.report.server.cpuCores?.toFixed(3) ?? '?'} s/s of CPU in that run, profiling included):`,
          '',
          '```',
          profileText,
          '```',
        ]
      : []),
    '',
  ].join('\n');
  const base = join(outDir, stamp);
  writeFileSync(`${base}.json`, JSON.stringify({ environment, runs, profileRun }, null, 2) + '\n');
  writeFileSync(`${base}.md`, md);
  console.log(`\n${md}\nbench: wrote ${base}.json and ${base}.md`);
  return runs.every((r) => r.report && !r.problem) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('bench:', err);
    process.exit(2);
  },
);
