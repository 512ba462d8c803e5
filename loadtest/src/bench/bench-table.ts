/**
 * The bench's markdown: one row per scale, then where the 256-client run stands against the
 * issue's targets and against Colyseus 0.18 on the same workload (../shared/handbook/FACTS.md).
 */
import type { Report } from '../report/report';
import { num } from '../report/summary-table';
import { median } from './cores';

export interface BenchRun {
  scale: string;
  report: Report | undefined;
  /** Why the run produced no report, or ended badly. */
  problem?: string;
}

export function benchTable(runs: readonly BenchRun[]): string {
  const head = [
    'scale',
    'clients (rooms)',
    'server CPU ms/client-s',
    'server CPU s/s',
    'down B/client-s',
    'patches/client-s',
    'ticks/s per room',
    'tick p50 / p99 / max ms',
    'without writes p50 / p99 ms',
    'overruns',
    'RTT p50 / p99 ms',
    'input→ack p50 / p99 ms',
    'RSS end MB (growth)',
    'bot CPU ms/bot-s',
    'bots the limit?',
    'errors',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { scale, report: r, problem } of runs) {
    if (!r) {
      lines.push(`| ${scale} | ${problem ?? 'no report'} |${' |'.repeat(head.length - 2)}`);
      continue;
    }
    const s = r.server;
    const b = r.bots;
    const t = s.tick;
    const errors = Object.values(b.totalFailures).reduce((x, y) => x + y, 0);
    lines.push(
      `| ${[
        scale,
        `${num(s.avgClients ?? b.connectedAtEnd, 0)} (${num(s.avgRooms, 0)})`,
        num(s.cpuMsPerClientSecond, 3),
        num(s.cpuCores, 3),
        num(s.bytesOutPerClientSecond, 0),
        num(s.patchesPerClientSecond, 2),
        num(s.tickRate, 2),
        t ? `${num(t.p50, 2)} / ${num(t.p99, 2)} / ${t.overflow ? '>' : ''}${num(t.max, 1)}` : '—',
        s.tickWork ? `${num(s.tickWork.p50, 2)} / ${num(s.tickWork.p99, 2)}` : '—',
        num(s.overruns, 0),
        b.rtt ? `${num(b.rtt.p50, 2)} / ${num(b.rtt.p99, 1)}` : '—',
        b.ack ? `${num(b.ack.p50, 1)} / ${num(b.ack.p99, 1)}` : '—',
        `${num(s.rssEndMB, 0)} (+${num(s.rssGrowthMB, 0)})`,
        num(b.cpuMsPerBotSecond, 2),
        b.limited ? `yes: ${b.limitReasons.join('; ')}` : 'no',
        `${errors}${problem ? ` (${problem})` : ''}`,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/**
 * For every scale the run repeated (interleaved: --scales a,b,a,b), the median of its runs'
 * figures: on a machine whose single runs vary ±20%, these are the figures to quote, and their
 * ratios between scales of the same run. Undefined when no scale ran twice.
 */
export function mediansTable(runs: readonly BenchRun[]): string | undefined {
  const byScale = new Map<string, Report[]>();
  for (const { scale, report } of runs) {
    if (!report) continue;
    const rs = byScale.get(scale);
    if (rs) rs.push(report);
    else byScale.set(scale, [report]);
  }
  const repeated = [...byScale].filter(([, rs]) => rs.length > 1);
  if (repeated.length === 0) return undefined;
  const head = ['scale (median of its runs)', 'runs', 'server CPU ms/client-s', 'down B/client-s', 'tick p50 / p99 ms', 'without writes p50 / p99 ms', 'input→ack p50 ms'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [scale, rs] of repeated) {
    const m = (digits: number, f: (r: Report) => number | null | undefined) => num(median(rs.map(f)), digits);
    const cells = [
      scale,
      String(rs.length),
      m(3, (r) => r.server.cpuMsPerClientSecond),
      m(0, (r) => r.server.bytesOutPerClientSecond),
      `${m(2, (r) => r.server.tick?.p50)} / ${m(2, (r) => r.server.tick?.p99)}`,
      rs.some((r) => r.server.tickWork) ? `${m(2, (r) => r.server.tickWork?.p50)} / ${m(2, (r) => r.server.tickWork?.p99)}` : '—',
      m(1, (r) => r.bots.ack?.p50),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The issue's targets at 256 clients, and Colyseus 0.18's figures on the same workload. */
export function targetsTable(r: Report | undefined): string {
  if (!r) return '_No 256-client run, so no comparison with the targets._';
  const s = r.server;
  const b = r.bots;
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : '**not met**');
  const rows: Array<[string, string, string, string, string]> = [
    [
      'server CPU per client-second',
      '≤ 0.6 ms',
      `${num(s.cpuMsPerClientSecond, 3)} ms`,
      verdict(s.cpuMsPerClientSecond === null ? null : s.cpuMsPerClientSecond <= 0.6),
      '1.2–1.7 ms',
    ],
    [
      'downstream bytes per client-second',
      '≤ 3,000 B',
      `${num(s.bytesOutPerClientSecond, 0)} B`,
      verdict(s.bytesOutPerClientSecond === null ? null : s.bytesOutPerClientSecond <= 3000),
      '≈ 15,000 B',
    ],
    ['RTT p99', '< 10 ms', `${num(b.rtt?.p99, 1)} ms`, verdict(b.rtt ? b.rtt.p99 < 10 : null), '30–60 ms'],
    ['tick rate held', '30.0 Hz', `${num(s.tickRate, 2)} Hz`, verdict(s.tickRate === null ? null : s.tickRate >= 29.95), '≈ 29.5 Hz (29.1–29.8)'],
  ];
  return [`| at ${num(s.avgClients, 0)} clients | target | measured | | Colyseus 0.18 (FACTS.md) |`, '|---|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join(
    '\n',
  );
}
