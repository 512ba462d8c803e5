/**
 * The HTML report: one self-contained file (inline SVG and CSS, no script, nothing fetched) with
 * the summary table, the failures, and plots of the run over time with the window shaded.
 */
import { lineChart, type Series } from './svg-chart';
import type { Report, TimelinePoint } from './report';
import { assertionLines, summaryTable } from './summary-table';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function htmlReport(r: Report): string {
  const tl = r.timeline;
  const band: [number, number] = [r.window.from, r.window.to];
  const series = (name: string, color: string, f: (p: TimelinePoint) => number | null): Series => ({ name, color, points: tl.map((p) => [p.t, f(p)]) });
  const charts = [
    lineChart({ title: 'Clients', unit: '', band, series: [series('bots connected', '#2563eb', (p) => p.connected), series('server clients', '#f97316', (p) => p.serverClients)] }),
    lineChart({
      title: 'Round trip',
      unit: 'ms',
      band,
      series: [series('RTT p50', '#16a34a', (p) => p.rttP50Ms), series('RTT p99', '#dc2626', (p) => p.rttP99Ms), series('input-to-ack p99', '#9333ea', (p) => p.ackP99Ms)],
    }),
    lineChart({
      title: 'Tick duration (server, bucket upper bounds)',
      unit: 'ms',
      band,
      series: [series('tick p50', '#16a34a', (p) => p.tickP50Ms), series('tick p99', '#dc2626', (p) => p.tickP99Ms)],
    }),
    lineChart({ title: 'CPU', unit: 'cores', band, series: [series('server', '#dc2626', (p) => p.serverCpuCores), series('loadtest (bots)', '#2563eb', (p) => p.botCpuCores)] }),
    lineChart({
      title: 'Downstream bytes per second',
      unit: 'B/s',
      band,
      series: [series('server sent', '#f97316', (p) => p.serverBytesOutPerS), series('bots received', '#2563eb', (p) => p.bytesInPerS)],
    }),
    lineChart({ title: 'Patches per second (bots)', unit: '/s', band, series: [series('patches received', '#2563eb', (p) => p.patchesPerS)] }),
    lineChart({ title: 'Server memory', unit: 'MB RSS', band, series: [series('RSS', '#0891b2', (p) => p.serverRssMB)] }),
    lineChart({ title: 'Errors (cumulative)', unit: '', band, series: [series('errors', '#dc2626', (p) => p.errors)] }),
  ];
  const o = r.options;
  const title = `Tickforge loadtest: ${o.mode}, ${o.bots} bots${o.preset ? ` (${o.preset})` : ''}, ${r.startedAt}`;
  const asserts = r.assertions.length ? `<h2>Assertions</h2><pre>${esc(assertionLines(r))}</pre>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111;max-width:1200px}
pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg{background:#fff;border:1px solid #ddd}
svg .title{font-size:13px;font-weight:600}
svg .tick,svg .legend{font-size:11px;fill:#444}
svg .grid{stroke:#eee}
svg .band{fill:#2563eb;opacity:.07}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Shaded: the measured window (${r.window.from.toFixed(1)}–${r.window.to.toFixed(1)} s). Server ${esc(o.url)}; decode ${o.decode}; ${o.workers} worker threads; seed ${o.seed}; Node ${esc(r.environment.node)} on ${r.environment.cpus} × ${esc(r.environment.cpuModel)}.</p>
${r.aborted ? `<p><strong>The run ended early: ${esc(r.aborted)}</strong></p>` : ''}
<h2>Figures</h2><pre>${esc(summaryTable(r))}</pre>
${asserts}
<h2>Over time</h2><div class="charts">${charts.join('\n')}</div>
</body></html>
`;
}
