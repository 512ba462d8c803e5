/**
 * Prometheus metrics (prom-client), served at GET /metrics. Hot-path counters are plain numbers
 * that the registry reads at scrape time, so sending a patch costs an addition, not a metric call.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Traffic counted by the transport, as plain numbers. */
export class TrafficStats {
  bytesOut = 0;
  messagesOut = 0;
  /** State patches (PATCH and RESYNC) among messagesOut. */
  patchesOut = 0;
  bytesIn = 0;
  messagesIn = 0;
  /** Connections closed by the server, by close code. */
  readonly closes = new Map<number, number>();

  countClose(code: number): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }
}

export interface MetricsSources {
  rooms(): number;
  /** Rooms whose tick loop runs (a player connected or held); the rest wait on reservations. */
  roomsTicking?(): number;
  clients(): number;
  ticksDropped(): number;
  tickOverruns(): number;
  /** CPU seconds the gateway processes used (GATEWAYS > 0): part of the server's CPU. */
  gatewayCpuSeconds?(): number;
  /** Connections the gateway processes hold. */
  gatewayConnections?(): number;
}

/**
 * Tick duration buckets: 8 per octave (each bound 9% above the previous) from 16 µs to 131 ms.
 * Coarse buckets (0.5, 1, 2, 5 ms) made a windowed p99 read from bucket deltas useless: a p99 of
 * 1.1 ms and of 1.9 ms read the same. With these, a percentile of any time window (the difference
 * of two scrapes, as the loadtest takes it) is known to within one bucket, i.e. 9%, and the
 * window's max to the same precision (the upper bound of the highest bucket that moved). An
 * in-process HDR histogram exposed as gauges would be exact but could only cover "since start"
 * or a fixed sliding window, never the window the reader chose; cumulative buckets can.
 */
export const TICK_DURATION_BUCKETS: readonly number[] = Array.from({ length: 105 }, (_, i) => Number((16e-6 * 2 ** (i / 8)).toPrecision(3)));

/**
 * The tick duration histogram as plain numbers: `observe` (once per room per tick) is a binary
 * search and two additions, where prom-client's Histogram.observe was 1.6% of the server's CPU at
 * 256 clients (its label hashing and a linear scan of 105 buckets). prom-client's registry reads
 * it at scrape time through `get()`, in the same exposition as a prom-client histogram.
 */
export class TickDurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Observations per bucket (not cumulative); the last is past the largest bound. */
  private readonly counts = new Float64Array(TICK_DURATION_BUCKETS.length + 1);
  private sum = 0;
  private count = 0;

  constructor(
    readonly name = 'tickforge_tick_duration_seconds',
    readonly help = 'Time one room tick takes: inputs, rules, encoding and sending',
  ) {}

  observe(seconds: number): void {
    let lo = 0;
    let hi = TICK_DURATION_BUCKETS.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (TICK_DURATION_BUCKETS[mid]! >= seconds) hi = mid;
      else lo = mid + 1;
    }
    this.counts[lo]!++;
    this.sum += seconds;
    this.count++;
  }

  get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    let cumulative = 0;
    TICK_DURATION_BUCKETS.forEach((le, i) => {
      cumulative += this.counts[i]!;
      values.push({ metricName: `${this.name}_bucket`, labels: { le }, value: cumulative });
    });
    values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.count });
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

export class Metrics {
  readonly registry = new Registry();
  readonly traffic = new TrafficStats();
  readonly tickDuration = new TickDurationHistogram();
  /**
   * The same ticks less the time they spent handing patches to the sockets: what the room's own
   * work (inputs, rules, interest, encoding) costs, apart from one write system call per client.
   */
  readonly tickWork = new TickDurationHistogram(
    'tickforge_tick_work_seconds',
    "Time one room tick takes without its patch writes to the sockets (tickforge_tick_duration_seconds less the writes): the room's own work",
  );
  private droppedBase = 0;
  private overrunBase = 0;

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tickforge_' });
    const traffic = this.traffic;
    const reg = [this.registry];
    this.registry.registerMetric(this.tickDuration as unknown as Parameters<Registry['registerMetric']>[0]);
    this.registry.registerMetric(this.tickWork as unknown as Parameters<Registry['registerMetric']>[0]);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- collect() runs with `this` = the metric
    const metrics = this;
    new Counter({
      name: 'tickforge_ticks_dropped_total',
      help: 'Ticks skipped because a room fell more than the catch-up limit behind',
      registers: reg,
      collect() {
        this.reset();
        this.inc(metrics.droppedBase + sources.ticksDropped());
      },
    });
    new Counter({
      name: 'tickforge_tick_overruns_total',
      help: 'Ticks that took longer than the tick interval',
      registers: reg,
      collect() {
        this.reset();
        this.inc(metrics.overrunBase + sources.tickOverruns());
      },
    });
    new Gauge({
      name: 'tickforge_rooms',
      help: 'Rooms open',
      registers: reg,
      collect() {
        this.set(sources.rooms());
      },
    });
    const ticking = sources.roomsTicking;
    if (ticking)
      new Gauge({
        name: 'tickforge_rooms_ticking',
        help: 'Rooms ticking (with a player)',
        registers: reg,
        collect() {
          this.set(ticking());
        },
      });
    new Gauge({
      name: 'tickforge_clients',
      help: 'Players connected',
      registers: reg,
      collect() {
        this.set(sources.clients());
      },
    });
    const { gatewayCpuSeconds, gatewayConnections } = sources;
    if (gatewayConnections)
      new Gauge({
        name: 'tickforge_gateway_connections',
        help: 'Game sockets the gateway processes hold',
        registers: reg,
        collect() {
          this.set(gatewayConnections());
        },
      });
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: reg,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    if (gatewayCpuSeconds) counter('tickforge_gateway_cpu_seconds_total', 'CPU (user and system) the gateway processes used, the exited ones included', gatewayCpuSeconds);
    counter('tickforge_ws_bytes_out_total', 'WebSocket payload bytes sent', () => traffic.bytesOut);
    counter('tickforge_ws_messages_out_total', 'WebSocket messages sent', () => traffic.messagesOut);
    counter('tickforge_patches_out_total', 'State patches (PATCH and RESYNC messages) sent, one per client per tick', () => traffic.patchesOut);
    counter('tickforge_ws_bytes_in_total', 'WebSocket payload bytes received', () => traffic.bytesIn);
    counter('tickforge_ws_messages_in_total', 'WebSocket messages received', () => traffic.messagesIn);
    new Counter({
      name: 'tickforge_ws_closes_total',
      help: 'Connections the server closed, by close code',
      labelNames: ['code'],
      registers: reg,
      collect() {
        this.reset();
        for (const [code, n] of traffic.closes) this.inc({ code: String(code) }, n);
      },
    });
  }

  /** Keeps the dropped/overrun totals of a room that is going away. */
  retireRoom(stats: { dropped: number; overruns: number }): void {
    this.droppedBase += stats.dropped;
    this.overrunBase += stats.overruns;
  }
}
