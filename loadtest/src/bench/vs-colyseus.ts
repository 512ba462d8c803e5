/**
 * `npm run bench -- --vs-colyseus`: our server, Colyseus 0.18 on the same workload (the anchor in
 * ../shared/anchors/colyseus-arena) and the floor (floor-server.ts) measured interleaved in ONE
 * run, at the same scales, pinning and bot priority, so that their ratios hold on a machine whose
 * speed drifts (issue 13). Absolute figures on a shared machine are noise; the ratios of runs
 * made minutes apart are not.
 *
 * The anchor installs packages and writes its build and results inside its own folder, so it is
 * copied to a temporary folder first (npm install from the registry there) and that copy is run
 * with its own `run.sh` (RUNS=1, one scale each time). Per round and scale: ours first (its bytes
 * per patch size the floor's patches), then Colyseus and the floor, alternating which goes first.
 * Results: bench/results/<date>-vs-colyseus.{json,md}, medians over the rounds and every run.
 * A development tool: not part of npm test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Report } from '../report/report';
import { num } from '../report/summary-table';
import { allowedCores, hasTaskset, median } from './cores';
import { runScale } from './run-scale';
import { REPO_ROOT } from './server-process';

const HELP = `Usage: npm run bench -- --vs-colyseus [options]

Our server, Colyseus 0.18 (the anchor, run from a temporary copy) and the floor (a minimal ws
server: 30 pre-framed writes and 30 reads per client-second) interleaved in one run; prints
each and the ratios, and writes bench/results/<date>-vs-colyseus.{json,md}.

Options:
  --scales LIST      client counts, comma-separated (default 128,256)
  --rounds N         interleaved rounds; the table gives medians (default 3)
  --duration S       measured seconds per run (default 30)
  --warmup S         warm-up seconds per run (default 5)
  --pin auto|yes|no  server on one core, bots on the other, for all three (Colyseus's harness
                     default, PIN=0:1). auto (default): yes on a quiet machine (1-minute load
                     average below 1) with two usable cores and taskset, else no
  --nice N           the bots' nice value (default 10 pinned, Colyseus's harness default; 0 unpinned)
  --input MODEL      our bots' input model, workload (default) or human (Colyseus's bots always
                     play the workload)
  --no-floor         skip the floor runs
  --colyseus DIR     the anchor (default ../shared/anchors/colyseus-arena, beside the repository)
  --keep             keep the temporary copy of the anchor (its results/ has every raw result)
  --out-dir DIR      default bench/results
  -h, --help`;

/** One side's figures of one run, whichever harness measured them. */
interface Figures {
  cpuMsPerClientSecond: number | null;
  cpuCores: number | null;
  bytesPerClientSecond: number | null;
  tickHz: number | null;
  tickP99Ms: number | null;
  rttP99Ms: number | null;
  rssEndMB: number | null;
  /** Input frames a client-second the bots sent: below 30, the server had less than the workload's load. */
  inputsPerClientSecond: number | null;
  /** The bots were the limit (their harness says so). */
  botsLimited: boolean;
  problem?: string;
}

interface Round {
  round: number;
  clients: number;
  loadavg: number[];
  ours: Figures;
  colyseus: Figures;
  floor: Figures | null;
  floorPatchBytes: number | null;
}

export async function vsColyseus(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scales: { type: 'string', default: '128,256' },
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      pin: { type: 'string', default: 'auto' },
      nice: { type: 'string' },
      input: { type: 'string', default: 'workload' },
      'no-floor': { type: 'boolean' },
      colyseus: { type: 'string' },
      keep: { type: 'boolean' },
      'out-dir': { type: 'string', default: join(REPO_ROOT, 'bench/results') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const scales = values.scales!.split(',').map(Number);
  const rounds = Number(values.rounds);
  if (scales.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(rounds) || rounds < 1) {
    console.error('bench --vs-colyseus: --scales must list client counts and --rounds be a whole number');
    return 2;
  }
  const anchor = findAnchor(values.colyseus);
  if (!anchor) {
    console.error('bench --vs-colyseus: no Colyseus anchor (../shared/anchors/colyseus-arena); give --colyseus DIR');
    return 2;
  }
  const cores = allowedCores();
  const canPin = cores.length >= 2 && hasTaskset();
  // On a busy machine a pinned server shares its one core with whatever else runs there, and niced
  // bots pinned to the other starve. Measured here (2026-12-01, load average 10-14, pinned, nice 10):
  // every run's bots fell behind, the servers suspended patches to them as slow readers, and our
  // bytes per client read 431-2,269 instead of ~4,000: the figures of a fraction of the load.
  const pin = values.pin === 'auto' ? canPin && loadavg()[0]! < 1 : values.pin === 'yes';
  const botNice = values.nice !== undefined ? Number(values.nice) : pin ? 10 : 0;
  if (pin && !canPin) {
    console.error('bench --vs-colyseus: --pin yes needs taskset and two usable cores');
    return 2;
  }
  const [serverCpu, botCpu] = pin ? [cores[0]!, cores[1]!] : [undefined, undefined];

  const copy = mkdtempSync(join(tmpdir(), 'tickforge-colyseus-'));
  const outDir = values['out-dir']!;
  const tmpDir = join(outDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const loadStart = loadavg().map(round2);
  console.log(
    `bench --vs-colyseus: ${scales.join(', ')} clients × ${rounds} rounds; ${pin ? `servers on core ${serverCpu}, bots on core ${botCpu}` : 'not pinned'}, bots nice ${botNice}; load average ${loadStart.join(' ')}`,
  );
  console.log(`bench --vs-colyseus: copying ${anchor} to ${copy} and installing its packages`);
  const results: Round[] = [];
  try {
    cpSync(anchor, copy, { recursive: true, filter: (src) => !/[/\\](node_modules|build)$/.test(src) });
    execFileSync('chmod', ['-R', 'u+w', copy]);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: copy, stdio: 'inherit' });

    const common = ['--warmup', values.warmup!, '--duration', values.duration!, ...(pin ? ['--workers', '1'] : [])];
    for (let round = 1; round <= rounds; round++) {
      for (const clients of scales) {
        const load = loadavg().map(round2);
        const json = (what: string) => join(tmpDir, `${stamp}-${what}-${clients}-${round}.json`);
        const ours = await runScale({
          server: { cpu: serverCpu },
          args: ['--bots', String(clients), '--decode', 'full', '--input', values.input!, ...common],
          botCpu,
          botNice,
          json: json('ours'),
          label: `round ${round}, ${clients} clients: ours`,
        });
        const oursFigures = fromReport(ours.report, ours.problem);
        const patchBytes = bytesPerPatch(ours.report);
        const runColyseus = async () => {
          console.log(`\nbench: round ${round}, ${clients} clients: Colyseus (${copy}/run.sh)`);
          return colyseusRun(copy, clients, { warmup: values.warmup!, duration: values.duration!, pin: pin ? `${serverCpu}:${botCpu}` : '', nice: botNice });
        };
        const runFloor = async () => {
          if (values['no-floor']) return null;
          const floor = await runScale({
            server: { cpu: serverCpu, entry: { script: 'loadtest/src/bench/floor-server.ts', args: ['--patch-bytes', String(patchBytes ?? 131)] } },
            args: ['--bots', String(clients), '--decode', 'header', ...common],
            botCpu,
            botNice,
            json: json('floor'),
            label: `round ${round}, ${clients} clients: floor (${patchBytes ?? 131} B patches)`,
          });
          return fromReport(floor.report, floor.problem);
        };
        let colyseus: Figures;
        let floor: Figures | null;
        if (round % 2 === 1) {
          colyseus = await runColyseus();
          floor = await runFloor();
        } else {
          floor = await runFloor();
          colyseus = await runColyseus();
        }
        const r: Round = { round, clients, loadavg: load, ours: oursFigures, colyseus, floor, floorPatchBytes: patchBytes };
        results.push(r);
        console.log(
          `bench: round ${round}, ${clients} clients: CPU ms/client-s ours ${num(r.ours.cpuMsPerClientSecond, 3)}, Colyseus ${num(r.colyseus.cpuMsPerClientSecond, 3)}, floor ${num(r.floor?.cpuMsPerClientSecond, 3)}`,
        );
      }
    }
  } finally {
    if (values.keep) console.log(`bench --vs-colyseus: kept ${copy}`);
    else rmSync(copy, { recursive: true, force: true });
  }

  const loadEnd = loadavg().map(round2);
  const environment = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavgAtStart: loadStart,
    loadavgAtEnd: loadEnd,
    pinned: pin ? { server: serverCpu, bots: botCpu } : null,
    botNice,
    command: `npm run bench -- --vs-colyseus ${argv.join(' ')}`.trim(),
  };
  const md = [
    `## Side by side ${stamp}: Tickforge, Colyseus 0.18.17 and the floor, interleaved (${environment.cpus} × ${environment.cpuModel}, Node ${environment.node})`,
    '',
    `Command: \`${environment.command}\`. ${pin ? `Every server pinned to core ${serverCpu}, every loadtest to core ${botCpu}` : 'Not pinned'}, bots under nice ${botNice}. ` +
      `Load average ${loadStart.join(' ')} at the start, ${loadEnd.join(' ')} at the end (a shared machine: compare only within this run). ` +
      `Each run: fresh server, ${values.warmup} s warm-up, ${values.duration} s measured. Our bots decode every patch (as Colyseus's SDK bots do), input ${values.input}; the floor's bots read only headers. ` +
      `Medians of ${rounds} interleaved rounds; the ratio columns are medians of each round's ratio.`,
    '',
    sideBySide(results, scales),
    '',
    'Every run:',
    '',
    everyRun(results),
    '',
  ].join('\n');
  const base = join(outDir, `${stamp}-vs-colyseus`);
  writeFileSync(`${base}.json`, JSON.stringify({ environment, rounds: results }, null, 2) + '\n');
  writeFileSync(`${base}.md`, md);
  console.log(`\n${md}\nbench: wrote ${base}.json and ${base}.md`);
  return results.every((r) => !r.ours.problem && !r.colyseus.problem && !r.floor?.problem) ? 0 : 1;
}

function findAnchor(given: string | undefined): string | undefined {
  const candidates = given ? [resolve(given)] : [join(REPO_ROOT, '../shared/anchors/colyseus-arena'), join(REPO_ROOT, '../../shared/anchors/colyseus-arena')];
  return candidates.find((d) => existsSync(join(d, 'run.sh')));
}

function fromReport(r: Report | undefined, problem: string | undefined): Figures {
  if (!r)
    return {
      cpuMsPerClientSecond: null,
      cpuCores: null,
      bytesPerClientSecond: null,
      tickHz: null,
      tickP99Ms: null,
      rttP99Ms: null,
      rssEndMB: null,
      inputsPerClientSecond: null,
      botsLimited: false,
      problem: problem ?? 'no report',
    };
  return {
    cpuMsPerClientSecond: r.server.cpuMsPerClientSecond,
    cpuCores: r.server.cpuCores,
    bytesPerClientSecond: r.server.bytesOutPerClientSecond,
    tickHz: r.server.tickRate,
    tickP99Ms: r.server.tick?.p99 ?? null,
    rttP99Ms: r.bots.rtt?.p99 ?? null,
    rssEndMB: r.server.rssEndMB,
    inputsPerClientSecond: r.bots.inputsPerClientSecond,
    botsLimited: r.bots.limited,
    ...(problem ? { problem } : {}),
  };
}

/** Mean bytes of one PATCH message (header included) in our run: the floor sends patches that size. */
function bytesPerPatch(r: Report | undefined): number | null {
  const t = r?.server.totals;
  if (!t?.bytesOut || !t.patchesOut) return null;
  return Math.round(t.bytesOut / t.patchesOut);
}

/** One `run.sh` of the anchor at one scale; its newest results file read back. */
async function colyseusRun(dir: string, clients: number, o: { warmup: string; duration: string; pin: string; nice: number }): Promise<Figures> {
  const before = new Set(listResults(dir));
  const child = spawn('bash', [join(dir, 'run.sh'), String(clients)], {
    cwd: dir,
    env: {
      ...process.env,
      RUNS: '1',
      WARMUP_S: o.warmup,
      MEASURE_S: o.duration,
      PIN: o.pin,
      BOT_NICE: String(o.nice),
      RUN_TIMEOUT_S: String(Number(o.warmup) + Number(o.duration) + 240),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  const file = listResults(dir).find((f) => !before.has(f));
  const empty: Figures = {
    cpuMsPerClientSecond: null,
    cpuCores: null,
    bytesPerClientSecond: null,
    tickHz: null,
    tickP99Ms: null,
    rttP99Ms: null,
    rssEndMB: null,
    inputsPerClientSecond: null,
    botsLimited: false,
  };
  if (!file) return { ...empty, problem: `run.sh exited ${code} without a result` };
  const res = (JSON.parse(readFileSync(join(dir, 'results', file), 'utf8')) as { results: any[] }).results[0];
  if (!res) return { ...empty, problem: `run.sh exited ${code} with an empty result` };
  return {
    cpuMsPerClientSecond: res.server?.cpu_ms_per_client_per_s ?? null,
    cpuCores: res.server?.cpu_cores_proc ?? null,
    bytesPerClientSecond: res.per_client?.down_bytes_per_s?.mean ?? null,
    tickHz: res.server?.tick_rate_hz?.mean ?? null,
    tickP99Ms: res.server?.tick_ms?.p99_ms ?? null,
    rttP99Ms: res.rtt_ms?.p99 ?? null,
    rssEndMB: res.server?.rss_mb?.end ?? null,
    inputsPerClientSecond: res.per_client?.inputs_sent_per_s?.mean ?? null,
    botsLimited: res.bots?.saturated === true || res.machine?.saturated === true,
    ...(code !== 0 ? { problem: `run.sh exit ${code}` } : {}),
  };
}

function listResults(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'results'))
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? a / b : null);

function sideBySide(results: readonly Round[], scales: readonly number[]): string {
  const head = [
    'clients',
    'Colyseus CPU ms/client-s',
    'Tickforge',
    'ratio T/C',
    'floor',
    'Tickforge ÷ floor',
    'Colyseus ÷ floor',
    'Colyseus B/client-s',
    'Tickforge',
    'ratio T/C',
    'tick Hz C / T',
    'RTT p99 ms C / T',
    'inputs/client-s C / T / floor',
    'load avg (1 min)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const n of scales) {
    const rs = results.filter((r) => r.clients === n);
    const m = (f: (r: Round) => number | null | undefined) => median(rs.map(f));
    lines.push(
      `| ${[
        n,
        num(
          m((r) => r.colyseus.cpuMsPerClientSecond),
          3,
        ),
        num(
          m((r) => r.ours.cpuMsPerClientSecond),
          3,
        ),
        num(
          m((r) => ratio(r.ours.cpuMsPerClientSecond, r.colyseus.cpuMsPerClientSecond)),
          2,
        ),
        num(
          m((r) => r.floor?.cpuMsPerClientSecond),
          3,
        ),
        num(
          m((r) => ratio(r.ours.cpuMsPerClientSecond, r.floor?.cpuMsPerClientSecond)),
          2,
        ),
        num(
          m((r) => ratio(r.colyseus.cpuMsPerClientSecond, r.floor?.cpuMsPerClientSecond)),
          2,
        ),
        num(
          m((r) => r.colyseus.bytesPerClientSecond),
          0,
        ),
        num(
          m((r) => r.ours.bytesPerClientSecond),
          0,
        ),
        num(
          m((r) => ratio(r.ours.bytesPerClientSecond, r.colyseus.bytesPerClientSecond)),
          3,
        ),
        `${num(
          m((r) => r.colyseus.tickHz),
          2,
        )} / ${num(
          m((r) => r.ours.tickHz),
          2,
        )}`,
        `${num(
          m((r) => r.colyseus.rttP99Ms),
          1,
        )} / ${num(
          m((r) => r.ours.rttP99Ms),
          1,
        )}`,
        `${num(
          m((r) => r.colyseus.inputsPerClientSecond),
          1,
        )} / ${num(
          m((r) => r.ours.inputsPerClientSecond),
          1,
        )} / ${num(
          m((r) => r.floor?.inputsPerClientSecond),
          1,
        )}`,
        rs.map((r) => num(r.loadavg[0], 2)).join(', '),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function everyRun(results: readonly Round[]): string {
  const head = [
    'round',
    'clients',
    'server',
    'CPU ms/client-s',
    'CPU s/s',
    'B/client-s',
    'tick Hz',
    'tick p99 ms',
    'RTT p99 ms',
    'RSS end MB',
    'inputs/client-s',
    'bots the limit?',
    'problem',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    const sides: Array<[string, Figures | null]> = [
      ['Tickforge', r.ours],
      ['Colyseus', r.colyseus],
      [`floor (${r.floorPatchBytes ?? 131} B patches)`, r.floor],
    ];
    for (const [name, f] of sides) {
      if (!f) continue;
      lines.push(
        `| ${[r.round, r.clients, name, num(f.cpuMsPerClientSecond, 3), num(f.cpuCores, 3), num(f.bytesPerClientSecond, 0), num(f.tickHz, 2), num(f.tickP99Ms, 2), num(f.rttP99Ms, 1), num(f.rssEndMB, 0), num(f.inputsPerClientSecond, 1), f.botsLimited ? 'yes' : 'no', f.problem ?? ''].join(' | ')} |`,
      );
    }
  }
  return lines.join('\n');
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
