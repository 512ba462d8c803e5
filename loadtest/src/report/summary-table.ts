/**
 * The final table: every figure of the reference workload, the server's side next to the bots',
 * with the `--assert` keys that name them.
 */
import type { Failures } from '../bot/bot-stats';
import type { Report } from './report';

const W = [34, 30, 36];

export function summaryTable(r: Report): string {
  const s = r.server;
  const b = r.bots;
  const o = r.options;
  const t = s.tick;
  const row = (label: string, server: string, bots: string, keys: string) => `${label.padEnd(W[0]!)}${server.padEnd(W[1]!)}${bots.padEnd(W[2]!)}${keys}`;
  const lines: string[] = [];
  lines.push(
    `Tickforge loadtest: ${o.mode}, ${o.bots} bots${o.preset ? ` (${o.preset})` : ''}, decode ${o.decode}, input ${o.input ?? 'workload'}, ` +
      `${num(r.window.seconds, 1)} s measured from t=${num(r.window.from, 1)} s, ${o.workers} worker${o.workers > 1 ? 's' : ''}, seed ${o.seed}`,
  );
  if (r.aborted) lines.push(`RUN ENDED EARLY: ${r.aborted}`);
  if (!s.available) lines.push('server metrics unavailable (GET /metrics failed): server column empty');
  lines.push(row('figure', 'server', 'bots', '--assert keys'));
  lines.push('-'.repeat(W[0]! + W[1]! + W[2]! + 24));
  lines.push(row('CPU, s per s', num(s.cpuCores, 3), `${num(b.cpuCores, 3)} (of ${b.cores} cores)`, 'server.cpu, bots.cpu'));
  lines.push(row('CPU per client-second, ms', num(s.cpuMsPerClientSecond, 3), `${num(b.cpuMsPerBotSecond, 3)} per bot-second`, 'server.cpuPerClient, bots.cpuPerBot'));
  lines.push(
    row(
      'RSS end, MB (growth: run, window)',
      s.rssEndMB === null ? '—' : `${num(s.rssEndMB, 1)} (${sign(s.rssGrowthMB)}, ${sign(s.rssWindowGrowthMB)})`,
      '',
      'rss.end, rss.growth, rss.windowGrowth',
    ),
  );
  lines.push(
    row(
      'tick p50 / p99 / max, ms',
      t ? `≤${num(t.p50, 3)} / ≤${num(t.p99, 3)} / ${t.overflow ? '>' : '≤'}${num(t.max, 2)}` : '—',
      t ? `(mean ${num(t.mean, 3)}${t.overflow ? `, ${t.overflow} ticks > 131 ms` : ''})` : '',
      'tick.p50, tick.p99, tick.max',
    ),
  );
  const work = s.tickWork;
  if (work) lines.push(row('  without socket writes p50 / p99', `≤${num(work.p50, 3)} / ≤${num(work.p99, 3)}`, `(mean ${num(work.mean, 3)})`, 'tickWork.p50, tickWork.p99'));
  lines.push(row('ticks per second per room', num(s.tickRate, 2), s.avgRooms !== null ? `(${num(s.avgRooms, 1)} rooms)` : '', 'tickRate'));
  lines.push(row('ticks overrun / dropped', `${num(s.overruns, 0)} / ${num(s.dropped, 0)}`, '', 'overruns, dropped'));
  lines.push(row('downstream bytes per client-s', num(s.bytesOutPerClientSecond, 0), num(b.bytesInPerClientSecond, 0), 'server.bytesPerClient, bytesPerClient'));
  lines.push(row('patches per client-second', num(s.patchesPerClientSecond, 2), num(b.patchesPerClientSecond, 2), 'server.patchRate, patchRate'));
  lines.push(
    row('upstream bytes per client-s', num(s.bytesInPerClientSecond, 0), `${num(b.bytesOutPerClientSecond, 0)} (${num(b.inputsPerClientSecond, 1)} inputs/s)`, 'inputRate'),
  );
  lines.push(row('round trip p50 / p99, ms', '', b.rtt ? `${num(b.rtt.p50, 2)} / ${num(b.rtt.p99, 2)}` : '—', 'rtt.p50, rtt.p99'));
  lines.push(row('input-to-ack p50 / p99, ms', '', b.ack ? `${num(b.ack.p50, 1)} / ${num(b.ack.p99, 1)}` : '—', 'ack.p50, ack.p99'));
  lines.push(row('clients', s.avgClients !== null ? `${num(s.avgClients, 1)} average` : '—', `${b.joined}/${b.target} joined, ${b.connectedAtEnd} at end`, 'joined, connected'));
  const errors = Object.values(b.totalFailures).reduce((x, y) => x + y, 0);
  lines.push(row('errors', `closed: ${failures(s.closes) || 'none'}`, `${errors}${errors ? ` (${failures(b.totalFailures)})` : ''}`, 'errors, errors.window, server.closes'));
  lines.push(row('bots the limit?', '', b.limited ? 'YES, see below' : 'no', 'bots.limited'));
  for (const reason of b.limitReasons) lines.push(`  bots the limit: ${reason}`);
  if (s.scrapeCpuMs !== null) lines.push(`(each /metrics scrape costs the server ≈${num(s.scrapeCpuMs, 2)} ms CPU; the loadtest scrapes once a second, included above)`);
  if (r.nodes) {
    lines.push(`cluster of ${r.nodes.length} nodes (server column above: all nodes together):`);
    for (const n of r.nodes) {
      lines.push(
        `  ${n.url.padEnd(28)} clients ${num(n.avgClients, 1).padStart(7)}  rooms ${num(n.avgRooms, 1).padStart(6)}  CPU ${num(n.cpuCores, 3)} cores  tick p99 ≤${num(n.tickP99Ms, 3)} ms`,
      );
    }
  }
  return lines.join('\n');
}

export function assertionLines(r: Report): string {
  return r.assertions.map((a) => `${a.ok ? 'ok  ' : 'FAIL'} ${a.message}`).join('\n');
}

function failures(f: Failures | Record<string, number>): string {
  return Object.entries(f)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
}

export function num(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return String(v);
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function sign(v: number | null): string {
  if (v === null) return '—';
  return `${v >= 0 ? '+' : ''}${num(v, 1)}`;
}
