/**
 * `npm run bench -- --capacity`: how many clients one server process holds (issue 13): from 256
 * up, a fresh server per step, until a step fails one of the holds below; the table says which
 * failed first. The bots read only patch headers (`--decode header`) so that they, not the server,
 * are the last thing to give; a step whose bots were the limit (the loadtest says so) is marked,
 * because its failure is then the load generator's, not the server's.
 *
 * Holds: 30.0 Hz per room (≥ 29.95 ticks/s), tick p99 ≤ 5 ms, 0 dropped ticks, RTT p99 ≤ 50 ms,
 * no errors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Report } from '../report/report';
import { num } from '../report/summary-table';
import { allowedCores, hasTaskset } from './cores';
import { runScale } from './run-scale';
import { REPO_ROOT } from './server-process';

const HELP = `Usage: npm run bench -- --capacity [options]

Clients one server process holds at 30.0 Hz, tick p99 ≤ 5 ms, 0 dropped ticks, RTT p99 ≤ 50 ms
and no errors: each step a fresh server, bots reading patch headers only; stops at the first step
that fails and says what failed. Writes bench/results/<date>-capacity.{json,md}.

Options:
  --steps LIST       client counts (default 256,512,768,1024,1280,1536,2048,2560,3072)
  --duration S       measured seconds per step (default 20)
  --warmup S         warm-up seconds per step (default 8)
  --pin auto|yes|no  server on one core, bots on the other (auto, the default: yes on a quiet
                     machine, load average below 1, with two cores and taskset)
  --workers N        bot worker threads (default 1 pinned, else 2)
  --input MODEL      workload (default) or human
  --decode MODE      header (default) or full
  --out-dir DIR      default bench/results
  -h, --help`;

interface Step {
  clients: number;
  loadavg: number[];
  report: Report | undefined;
  problem?: string;
  broke: string[];
}

export async function capacity(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '256,512,768,1024,1280,1536,2048,2560,3072' },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '8' },
      pin: { type: 'string', default: 'auto' },
      workers: { type: 'string' },
      input: { type: 'string', default: 'workload' },
      decode: { type: 'string', default: 'header' },
      'out-dir': { type: 'string', default: join(REPO_ROOT, 'bench/results') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const steps = values.steps!.split(',').map(Number);
  const cores = allowedCores();
  const canPin = cores.length >= 2 && hasTaskset();
  // As in vs-colyseus.ts: on a busy machine a pinned server and pinned bots starve.
  const pin = values.pin === 'auto' ? canPin && loadavg()[0]! < 1 : values.pin === 'yes';
  const [serverCpu, botCpu] = pin ? [cores[0]!, cores[1]!] : [undefined, undefined];
  const workers = values.workers ?? (pin ? '1' : '2');
  const outDir = values['out-dir']!;
  const tmpDir = join(outDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const loadStart = loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(
    `bench --capacity: ${steps.join(', ')}; ${pin ? `server on core ${serverCpu}, bots on core ${botCpu}` : 'not pinned'}, ${workers} workers; load average ${loadStart.join(' ')}`,
  );

  const done: Step[] = [];
  for (const clients of steps) {
    const load = loadavg().map((x) => Math.round(x * 100) / 100);
    const run = await runScale({
      server: { cpu: serverCpu },
      args: [
        '--bots',
        String(clients),
        '--decode',
        values.decode!,
        '--input',
        values.input!,
        '--workers',
        workers,
        '--warmup',
        values.warmup!,
        '--duration',
        values.duration!,
        '--ramp',
        String(Math.min(400, Math.ceil(clients / Math.max(1, Number(values.warmup) - 2)))),
      ],
      botCpu,
      json: join(tmpDir, `${stamp}-capacity-${clients}.json`),
      label: `capacity ${clients} clients`,
    });
    const step: Step = { clients, loadavg: load, report: run.report, ...(run.problem ? { problem: run.problem } : {}), broke: broken(run.report, run.problem) };
    done.push(step);
    console.log(`bench: ${clients} clients: ${step.broke.length ? `broke: ${step.broke.join('; ')}` : 'held'}`);
    if (step.broke.length) break;
  }

  const held = done.filter((s) => s.broke.length === 0).map((s) => s.clients);
  const first = done.find((s) => s.broke.length > 0);
  const command = `npm run bench -- --capacity ${argv.join(' ')}`.trim();
  const md = [
    `## Capacity ${stamp} (${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version})`,
    '',
    `Command: \`${command}\`; ${pin ? `server pinned to core ${serverCpu}, bots to core ${botCpu}` : 'not pinned'}, ${workers} bot workers, decode ${values.decode}, input ${values.input}; ` +
      `load average at start ${loadStart.join(' ')}. Each step: fresh server, ${values.warmup} s warm-up, ${values.duration} s measured. ` +
      'Holds: ≥ 29.95 ticks/s a room, tick p99 ≤ 5 ms, 0 dropped ticks, RTT p99 ≤ 50 ms, no errors.',
    '',
    table(done),
    '',
    held.length ? `Held up to **${Math.max(...held)} clients**.` : 'No step held.',
    first
      ? ` At ${first.clients} it broke first on: ${first.broke.join('; ')}${first.report?.bots.limited ? ` (the bots were the limit: ${first.report.bots.limitReasons.join('; ')})` : ''}.`
      : ' No step broke.',
    '',
  ].join('\n');
  const base = join(outDir, `${stamp}-capacity`);
  writeFileSync(`${base}.json`, JSON.stringify({ command, loadavgAtStart: loadStart, pinned: pin ? { server: serverCpu, bots: botCpu } : null, steps: done }, null, 2) + '\n');
  writeFileSync(`${base}.md`, md);
  console.log(`\n${md}\nbench: wrote ${base}.json and ${base}.md`);
  return 0;
}

/** Which holds a step failed, in the order the issue names them. */
function broken(r: Report | undefined, problem: string | undefined): string[] {
  if (!r) return [problem ?? 'no report'];
  const s = r.server;
  const out: string[] = [];
  if (s.tickRate === null || s.tickRate < 29.95) out.push(`tick rate ${num(s.tickRate, 2)} Hz`);
  if (!s.tick || s.tick.p99 > 5) out.push(`tick p99 ${num(s.tick?.p99, 2)} ms`);
  if (s.dropped === null || s.dropped > 0) out.push(`${num(s.dropped, 0)} ticks dropped`);
  if (!r.bots.rtt || r.bots.rtt.p99 > 50) out.push(`RTT p99 ${num(r.bots.rtt?.p99, 1)} ms`);
  const errors = Object.values(r.bots.totalFailures).reduce((a, b) => a + b, 0);
  if (errors > 0)
    out.push(
      `${errors} errors (${Object.entries(r.bots.totalFailures)
        .map(([k, n]) => `${n}× ${k}`)
        .join(', ')})`,
    );
  if (r.bots.connectedAtEnd < r.options.bots) out.push(`${r.bots.connectedAtEnd} of ${r.options.bots} connected`);
  if (problem) out.push(problem);
  return out;
}

function table(steps: readonly Step[]): string {
  const head = [
    'clients',
    'server CPU s/s',
    'CPU ms/client-s',
    'ticks/s a room',
    'tick p50 / p99 ms',
    'dropped',
    'RTT p50 / p99 ms',
    'B/client-s',
    'RSS MB',
    'bot CPU s/s',
    'bots the limit?',
    'load avg',
    'verdict',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const st of steps) {
    const r = st.report;
    const s = r?.server;
    lines.push(
      `| ${[
        st.clients,
        num(s?.cpuCores, 3),
        num(s?.cpuMsPerClientSecond, 3),
        num(s?.tickRate, 2),
        s?.tick ? `${num(s.tick.p50, 2)} / ${num(s.tick.p99, 2)}` : '—',
        num(s?.dropped, 0),
        r?.bots.rtt ? `${num(r.bots.rtt.p50, 2)} / ${num(r.bots.rtt.p99, 1)}` : '—',
        num(s?.bytesOutPerClientSecond, 0),
        num(s?.rssEndMB, 0),
        num(r?.bots.cpuCores, 2),
        r?.bots.limited ? `yes: ${r.bots.limitReasons.join('; ')}` : 'no',
        num(st.loadavg[0], 2),
        st.broke.length ? `broke: ${st.broke.join('; ')}` : 'held',
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
