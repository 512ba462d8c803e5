/**
 * From raw samples to the figures of the reference workload (WORKLOAD.md "The figures"), and the
 * named figures that the table prints and `--assert` checks.
 */
import { addCounters, addFailures, zeroCounters, type BotCounters, type Failures } from '../bot/bot-stats';
import type { WindowReport } from '../bot/worker-protocol';
import { mergeEncoded, summarize } from '../histograms';
import { closesDelta, delta, tickWindow, type ServerSample } from '../server-metrics';
import type { BotFigures, Report, ServerFigures } from './report';

const MB = 2 ** 20;

export interface ServerInputs {
  before: ServerSample | undefined;
  windowStart: ServerSample | undefined;
  windowEnd: ServerSample | undefined;
  after: ServerSample | undefined;
  /** Every sample taken within the window (for average clients and rooms). */
  windowSamples: ServerSample[];
  scrapeCpuMs: number | null;
}

export function buildServerFigures(i: ServerInputs): ServerFigures {
  const { windowStart: a, windowEnd: b, before, after } = i;
  const totals = {
    bytesOut: before && after ? (delta(before, after, 'bytesOut') ?? null) : null,
    patchesOut: before && after ? (delta(before, after, 'patchesOut') ?? null) : null,
    bytesIn: before && after ? (delta(before, after, 'bytesIn') ?? null) : null,
    messagesIn: before && after ? (delta(before, after, 'messagesIn') ?? null) : null,
  };
  if (!a || !b) {
    return {
      available: false,
      avgClients: null,
      avgRooms: null,
      cpuCores: null,
      cpuMsPerClientSecond: null,
      rssEndMB: null,
      rssGrowthMB: null,
      rssWindowGrowthMB: null,
      tick: null,
      tickWork: null,
      tickRate: null,
      overruns: null,
      dropped: null,
      bytesOutPerClientSecond: null,
      bytesInPerClientSecond: null,
      patchesPerClientSecond: null,
      closes: {},
      scrapeCpuMs: i.scrapeCpuMs,
      totals,
    };
  }
  const seconds = (b.at - a.at) / 1000;
  const avg = (f: (s: ServerSample) => number | undefined): number | null => {
    const v = i.windowSamples.map(f).filter((x): x is number => x !== undefined);
    return v.length ? v.reduce((x, y) => x + y, 0) / v.length : null;
  };
  const avgClients = avg((s) => s.clients);
  const avgRooms = avg((s) => s.rooms);
  const clientSeconds = avgClients ? avgClients * seconds : null;
  const per = (d: number | undefined) => (d !== undefined && clientSeconds ? d / clientSeconds : null);
  const cpu = delta(a, b, 'cpuSeconds');
  const tick = tickWindow(a, b) ?? null;
  return {
    available: true,
    avgClients,
    avgRooms,
    cpuCores: cpu !== undefined ? cpu / seconds : null,
    cpuMsPerClientSecond: cpu !== undefined && clientSeconds ? (cpu * 1000) / clientSeconds : null,
    rssEndMB: b.rssBytes !== undefined ? b.rssBytes / MB : null,
    rssGrowthMB: before && b.rssBytes !== undefined && before.rssBytes !== undefined ? (b.rssBytes - before.rssBytes) / MB : null,
    rssWindowGrowthMB: b.rssBytes !== undefined && a.rssBytes !== undefined ? (b.rssBytes - a.rssBytes) / MB : null,
    tick,
    tickWork: tickWindow(a, b, 'tickWork') ?? null,
    tickRate: tick && avgRooms ? tick.count / seconds / avgRooms : null,
    overruns: delta(a, b, 'tickOverruns') ?? null,
    dropped: delta(a, b, 'ticksDropped') ?? null,
    bytesOutPerClientSecond: per(delta(a, b, 'bytesOut')),
    bytesInPerClientSecond: per(delta(a, b, 'bytesIn')),
    patchesPerClientSecond: per(delta(a, b, 'patchesOut')),
    closes: closesDelta(a, b),
    scrapeCpuMs: i.scrapeCpuMs,
    totals,
  };
}

export interface BotInputs {
  target: number;
  workers: number;
  windows: WindowReport[];
  closed: Array<{ counters: BotCounters; failures: Failures }>;
  windowSeconds: number;
  /** Loadtest process CPU within the window, seconds. */
  cpuSeconds: number;
  cores: number;
  /** The workers' last interval reports, summed: the totals when a worker never reported closing. */
  latest: { counters: BotCounters; failures: Failures };
}

export function buildBotFigures(i: BotInputs): BotFigures {
  const c = zeroCounters();
  const failures: Failures = {};
  let clientSeconds = 0;
  let eluMax = 0;
  let delayMax = 0;
  for (const w of i.windows) {
    addCounters(c, w.counters);
    addFailures(failures, w.failures);
    clientSeconds += w.clientSeconds;
    eluMax = Math.max(eluMax, w.elu);
    delayMax = Math.max(delayMax, Number.isFinite(w.loopDelayP99) ? w.loopDelayP99 : 0);
  }
  const totals = zeroCounters();
  const totalFailures: Failures = {};
  for (const t of i.closed.length === i.workers ? i.closed : [i.latest]) {
    addCounters(totals, t.counters);
    addFailures(totalFailures, t.failures);
  }
  const per = (n: number) => (clientSeconds > 0 ? n / clientSeconds : null);
  const cpuCores = i.cpuSeconds / i.windowSeconds;
  const reasons: string[] = [];
  if (cpuCores > 0.85 * i.cores) reasons.push(`the loadtest used ${cpuCores.toFixed(2)} of its ${i.cores} cores`);
  if (eluMax > 0.9) reasons.push(`a bot worker's event loop was busy ${(eluMax * 100).toFixed(0)}% of the window`);
  if (delayMax > 50) reasons.push(`a bot worker's event loop was late by ${delayMax.toFixed(0)} ms (p99)`);
  const due = c.inputs + c.inputsLate;
  if (due > 0 && c.inputsLate > 0.01 * due) reasons.push(`${c.inputsLate} input frames (${((c.inputsLate / due) * 100).toFixed(1)}% of those due) were skipped as late`);
  return {
    target: i.target,
    joined: totals.joined,
    connectedAtEnd: i.windows.length > 0 ? c.connected : i.latest.counters.connected,
    clientSeconds,
    patchesPerClientSecond: per(c.patches),
    bytesInPerClientSecond: per(c.bytesIn),
    bytesOutPerClientSecond: per(c.bytesOut),
    inputsPerClientSecond: per(c.inputs),
    rtt: summarize(mergeEncoded(i.windows.map((w) => w.rtt))) ?? null,
    ack: summarize(mergeEncoded(i.windows.map((w) => w.ack))) ?? null,
    cpuCores,
    cpuMsPerBotSecond: clientSeconds > 0 ? (i.cpuSeconds * 1000) / clientSeconds : null,
    cores: i.cores,
    workers: i.workers,
    workerEluMax: eluMax,
    workerLoopDelayP99Ms: delayMax,
    inputsLate: c.inputsLate,
    limited: reasons.length > 0,
    limitReasons: reasons,
    errors: c.errors,
    failures,
    totals,
    totalFailures,
  };
}

/** A figure by its `--assert` key. */
export interface Figure {
  key: string;
  label: string;
  unit: string;
  value: number | null;
}

/** Every figure that `--assert` can check, by key. */
export function figures(r: Report): Figure[] {
  const s = r.server;
  const b = r.bots;
  const f = (key: string, label: string, unit: string, value: number | null | undefined): Figure => ({ key, label, unit, value: value ?? null });
  const tick = s.tick;
  return [
    f('server.cpu', 'server CPU', 's/s', s.cpuCores),
    f('server.cpuPerClient', 'server CPU per client-second', 'ms', s.cpuMsPerClientSecond),
    f('rss.end', 'server RSS at the end', 'MB', s.rssEndMB),
    f('rss.growth', 'server RSS growth over the run', 'MB', s.rssGrowthMB),
    f('rss.windowGrowth', 'server RSS growth in the window', 'MB', s.rssWindowGrowthMB),
    f('tick.p50', 'tick duration p50', 'ms', tick?.p50),
    f('tick.p99', 'tick duration p99', 'ms', tick?.p99),
    f('tick.max', 'tick duration max', 'ms', tick?.max),
    f('tick.mean', 'tick duration mean', 'ms', tick?.mean),
    f('tickWork.p50', 'tick without its socket writes p50', 'ms', s.tickWork?.p50),
    f('tickWork.p99', 'tick without its socket writes p99', 'ms', s.tickWork?.p99),
    f('tickRate', 'ticks per second per room', 'Hz', s.tickRate),
    f('overruns', 'ticks overrun', '', s.overruns),
    f('dropped', 'ticks dropped', '', s.dropped),
    f('server.bytesPerClient', 'downstream bytes per client-second (server)', 'B', s.bytesOutPerClientSecond),
    f('bytesPerClient', 'downstream bytes per client-second (bots)', 'B', b.bytesInPerClientSecond),
    f('server.patchRate', 'patches per client-second (server)', '/s', s.patchesPerClientSecond),
    f('patchRate', 'patches per client-second (bots)', '/s', b.patchesPerClientSecond),
    f('inputRate', 'inputs per client-second (bots)', '/s', b.inputsPerClientSecond),
    f('rtt.p50', 'round trip p50', 'ms', b.rtt?.p50),
    f('rtt.p99', 'round trip p99', 'ms', b.rtt?.p99),
    f('ack.p50', 'input-to-ack p50', 'ms', b.ack?.p50),
    f('ack.p99', 'input-to-ack p99', 'ms', b.ack?.p99),
    f('bots.cpu', 'bot CPU', 's/s', b.cpuCores),
    f('bots.cpuPerBot', 'bot CPU per bot-second', 'ms', b.cpuMsPerBotSecond),
    f('bots.limited', 'bots were the limit (1 yes, 0 no)', '', b.limited ? 1 : 0),
    f('joined', 'bots that joined', '', b.joined),
    f('connected', 'bots connected at the end', '', b.connectedAtEnd),
    f(
      'errors',
      'errors (refused, closed, decode, timeouts) over the run',
      '',
      Object.values(b.totalFailures).reduce((x, y) => x + y, 0),
    ),
    f('errors.window', 'errors in the measured window', '', b.errors),
    f(
      'server.closes',
      'connections the server closed in the window',
      '',
      Object.values(s.closes).reduce((x, y) => x + y, 0),
    ),
  ];
}

/** The keys `--assert` accepts, known before any run (figures() reads nothing else of a report). */
export const FIGURE_KEYS: readonly string[] = figures({
  server: { tick: null, tickWork: null, closes: {} },
  bots: { rtt: null, ack: null, totalFailures: {}, limited: false },
} as unknown as Report).map((f) => f.key);
