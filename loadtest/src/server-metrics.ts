/**
 * The server's side of the figures, read from its Prometheus endpoint (GET /metrics). Every figure
 * is the difference of two scrapes, so it covers exactly the window between them. Tick duration
 * percentiles come from the difference of the histogram's cumulative buckets: each is reported as
 * the upper bound of the bucket it falls in (the server's buckets are 9% apart, see
 * server/src/metrics.ts), so they err high by at most one bucket, never low.
 */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

const P = 'tickforge_';

export interface ServerSample {
  /**
   * Shared ms (performance.timeOrigin + now) when the server read its counters, taken as halfway
   * between sending the request and the answer's arrival (a busy server answers late).
   */
  at: number;
  /** Process CPU, user + system, seconds. */
  cpuSeconds: number | undefined;
  rssBytes: number | undefined;
  heapUsedBytes: number | undefined;
  rooms: number | undefined;
  clients: number | undefined;
  bytesOut: number | undefined;
  messagesOut: number | undefined;
  patchesOut: number | undefined;
  bytesIn: number | undefined;
  messagesIn: number | undefined;
  ticksDropped: number | undefined;
  tickOverruns: number | undefined;
  /** Tick duration histogram: upper bounds (seconds, ascending, last is +Inf) and cumulative counts. */
  tick: { bounds: number[]; counts: number[]; count: number; sum: number } | undefined;
  /** Connections the server closed, by close code. */
  closes: Record<string, number>;
}

export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

export async function scrapeServer(baseUrl: string, timeoutMs = 3000): Promise<ServerSample> {
  let text: string;
  const sent = performance.timeOrigin + performance.now();
  try {
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new ScrapeError(`GET /metrics answered ${res.status}`);
    text = await res.text();
  } catch (err) {
    if (err instanceof ScrapeError) throw err;
    const e = err as Error & { cause?: { code?: string } };
    throw new ScrapeError(`GET /metrics failed: ${e.cause?.code ?? e.message}`);
  }
  return parseSample(text, (sent + performance.timeOrigin + performance.now()) / 2);
}

export function parseSample(text: string, at: number): ServerSample {
  const families = new Map<string, PromFamily>();
  for (const f of parsePrometheusTextFormat(text)) families.set(f.name, f);
  const value = (name: string): number | undefined => {
    const f = families.get(P + name);
    if (!f || f.metrics.length === 0) return undefined;
    let total = 0;
    for (const m of f.metrics) total += Number(m.value);
    return total;
  };
  const user = value('process_cpu_user_seconds_total');
  const system = value('process_cpu_system_seconds_total');
  const closes: Record<string, number> = {};
  for (const m of families.get(P + 'ws_closes_total')?.metrics ?? []) {
    const code = m.labels?.code;
    if (code !== undefined) closes[code] = Number(m.value);
  }
  return {
    at,
    cpuSeconds: user !== undefined && system !== undefined ? user + system : value('process_cpu_seconds_total'),
    rssBytes: value('process_resident_memory_bytes'),
    heapUsedBytes: value('nodejs_heap_size_used_bytes'),
    rooms: value('rooms'),
    clients: value('clients'),
    bytesOut: value('ws_bytes_out_total'),
    messagesOut: value('ws_messages_out_total'),
    patchesOut: value('patches_out_total'),
    bytesIn: value('ws_bytes_in_total'),
    messagesIn: value('ws_messages_in_total'),
    ticksDropped: value('ticks_dropped_total'),
    tickOverruns: value('tick_overruns_total'),
    tick: histogram(families.get(P + 'tick_duration_seconds')),
    closes,
  };
}

function histogram(f: PromFamily | undefined): ServerSample['tick'] {
  const m = f?.metrics[0];
  if (!m?.buckets) return undefined;
  const pairs = Object.entries(m.buckets)
    .map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), Number(n)] as const)
    .sort((a, b) => a[0] - b[0]);
  return { bounds: pairs.map((p) => p[0]), counts: pairs.map((p) => p[1]), count: Number(m.count), sum: Number(m.sum) };
}

export interface TickWindow {
  /** Ticks run in the window (all rooms). */
  count: number;
  /** Mean tick duration, ms (exact: from the histogram's sum). */
  mean: number;
  /**
   * Percentiles and max in ms, as bucket upper bounds. A value past the largest finite bucket is
   * given as that bound (131 ms) and counted in `overflow`.
   */
  p50: number;
  p99: number;
  max: number;
  /** Ticks longer than the largest finite bucket. */
  overflow: number;
}

/** Tick duration between two scrapes; undefined when the server has no histogram or ran no tick. */
export function tickWindow(a: ServerSample, b: ServerSample): TickWindow | undefined {
  if (!a.tick || !b.tick || a.tick.bounds.length !== b.tick.bounds.length) return undefined;
  const count = b.tick.count - a.tick.count;
  if (count <= 0) return undefined;
  const { bounds } = b.tick;
  const delta = b.tick.counts.map((n, i) => n - a.tick!.counts[i]!);
  const lastFinite = bounds.findLastIndex((x) => Number.isFinite(x));
  const ms = (i: number) => bounds[Math.min(i, lastFinite)]! * 1000;
  const at = (q: number): number => {
    const rank = Math.ceil(q * count);
    for (let i = 0; i < delta.length; i++) if (delta[i]! >= rank) return ms(i);
    return ms(lastFinite);
  };
  let maxIndex = 0;
  for (let i = 0; i < delta.length; i++) if (delta[i]! > (i === 0 ? 0 : delta[i - 1]!)) maxIndex = i;
  const overflow = count - (lastFinite >= 0 ? delta[lastFinite]! : 0);
  return { count, mean: ((b.tick.sum - a.tick.sum) / count) * 1000, p50: at(0.5), p99: at(0.99), max: ms(maxIndex), overflow };
}

/** b − a for a counter that both samples have. */
export function delta(a: ServerSample, b: ServerSample, key: keyof ServerSample): number | undefined {
  const x = a[key];
  const y = b[key];
  return typeof x === 'number' && typeof y === 'number' ? y - x : undefined;
}

export function closesDelta(a: ServerSample, b: ServerSample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, n] of Object.entries(b.closes)) {
    const d = n - (a.closes[code] ?? 0);
    if (d > 0) out[code] = d;
  }
  return out;
}
