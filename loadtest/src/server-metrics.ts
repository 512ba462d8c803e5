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
  tick: TickHistogram | undefined;
  /** The same ticks without their patch writes to the sockets (the room's own work); absent from servers that lack it. */
  tickWork: TickHistogram | undefined;
  /** Connections the server closed, by close code. */
  closes: Record<string, number>;
}

export interface TickHistogram {
  bounds: number[];
  counts: number[];
  count: number;
  sum: number;
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

function addIfBoth(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? undefined : a + (b ?? 0);
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
    // A server's CPU is its gateway processes' too (GATEWAYS > 0), which write to and read from its sockets.
    cpuSeconds: addIfBoth(user !== undefined && system !== undefined ? user + system : value('process_cpu_seconds_total'), value('gateway_cpu_seconds_total')),
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
    tick: histogram(families.get(P + 'tick_duration_seconds'), text),
    tickWork: histogram(families.get(P + 'tick_work_seconds'), text),
    closes,
  };
}

function histogram(f: PromFamily | undefined, text: string): TickHistogram | undefined {
  const m = f?.metrics[0];
  if (!m?.buckets) return undefined;
  const pairs = Object.entries(m.buckets)
    .map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), Number(n)] as const)
    .sort((a, b) => a[0] - b[0]);
  // The parser drops _sum and _count when the series carry labels besides `le` (a cluster node's
  // `node` label): read them from the text then.
  const raw = (suffix: string) => Number(new RegExp(`^${f!.name}_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  const count = m.count !== undefined ? Number(m.count) : raw('count');
  const sum = m.sum !== undefined ? Number(m.sum) : raw('sum');
  return { bounds: pairs.map((p) => p[0]), counts: pairs.map((p) => p[1]), count, sum };
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

/**
 * Tick duration between two scrapes (`which`: the whole tick, or its work without the socket
 * writes); undefined when the server has no such histogram or ran no tick.
 */
export function tickWindow(a: ServerSample, b: ServerSample, which: 'tick' | 'tickWork' = 'tick'): TickWindow | undefined {
  const x = a[which];
  const y = b[which];
  if (!x || !y || x.bounds.length !== y.bounds.length) return undefined;
  const count = y.count - x.count;
  if (count <= 0) return undefined;
  const { bounds } = y;
  const delta = y.counts.map((n, i) => n - x.counts[i]!);
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
  return { count, mean: ((y.sum - x.sum) / count) * 1000, p50: at(0.5), p99: at(0.99), max: ms(maxIndex), overflow };
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

/**
 * Several servers (the nodes of a cluster) read as one: counters, gauges, CPU and the tick
 * histogram summed, so every figure is the cluster's (CPU in cores of all nodes together, tick
 * percentiles over every room of every node). `at` is the mean of the nodes' instants.
 */
export function mergeSamples(samples: ServerSample[]): ServerSample {
  if (samples.length === 1) return samples[0]!;
  const sum = (key: keyof ServerSample): number | undefined => {
    let total = 0;
    for (const s of samples) {
      const v = s[key];
      if (typeof v !== 'number') return undefined;
      total += v;
    }
    return total;
  };
  const closes: Record<string, number> = {};
  for (const s of samples) for (const [code, n] of Object.entries(s.closes)) closes[code] = (closes[code] ?? 0) + n;
  const merged = (which: 'tick' | 'tickWork'): TickHistogram | undefined => {
    const ticks = samples.map((s) => s[which]);
    if (!ticks.every((t) => t && t.bounds.length === ticks[0]!.bounds.length)) return undefined;
    const first = ticks[0]!;
    const out = { bounds: first.bounds, counts: first.counts.map((_, i) => ticks.reduce((n, t) => n + t!.counts[i]!, 0)), count: 0, sum: 0 };
    for (const t of ticks) {
      out.count += t!.count;
      out.sum += t!.sum;
    }
    return out;
  };
  return {
    at: samples.reduce((n, s) => n + s.at, 0) / samples.length,
    cpuSeconds: sum('cpuSeconds'),
    rssBytes: sum('rssBytes'),
    heapUsedBytes: sum('heapUsedBytes'),
    rooms: sum('rooms'),
    clients: sum('clients'),
    bytesOut: sum('bytesOut'),
    messagesOut: sum('messagesOut'),
    patchesOut: sum('patchesOut'),
    bytesIn: sum('bytesIn'),
    messagesIn: sum('messagesIn'),
    ticksDropped: sum('ticksDropped'),
    tickOverruns: sum('tickOverruns'),
    tick: merged('tick'),
    tickWork: merged('tickWork'),
    closes,
  };
}

/**
 * The servers to read: the --url list, and every node the first of them reports in its cluster
 * view (GET /health), since placement may open rooms on nodes the bots never asked.
 */
export async function discoverNodes(urls: readonly string[], timeoutMs = 3000): Promise<string[]> {
  const out = new Set(urls);
  try {
    const res = await fetch(`${urls[0]}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const health = (await res.json()) as { cluster?: { nodes?: Array<{ url?: string }> } };
    for (const n of health.cluster?.nodes ?? []) if (typeof n.url === 'string' && n.url) out.add(n.url.replace(/\/+$/, ''));
  } catch {
    // not a cluster, or no health: the --url list alone
  }
  return [...out];
}
