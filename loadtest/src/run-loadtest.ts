/**
 * One loadtest run, as a function (the CLI, the bench and the tests call it): checks the server,
 * starts the bot workers on the ramp, samples both sides once a second, marks the measured window
 * (warm-up first), and returns the report. It never hangs: a watchdog ends the run at
 * window end + 15 s whatever the server or the workers do.
 */
import { availableParallelism, cpus } from 'node:os';
import { findMode } from '@tickforge/shared';
import { JOIN_TIMEOUT_MS } from './bot/bot';
import { addCounters, addFailures, zeroCounters, type BotCounters, type Failures } from './bot/bot-stats';
import { WorkerPool } from './bot/worker-pool';
import type { IntervalReport, WindowReport, WorkerToMain } from './bot/worker-protocol';
import { WORKLOAD_INPUT_FIELDS } from './bot/workload-script';
import { mergeEncoded, summarize } from './histograms';
import type { LoadtestOptions } from './options';
import { buildBotFigures, buildServerFigures } from './report/figures';
import type { NodeFigures, Report, TimelinePoint } from './report/report';
import { discoverNodes, mergeSamples, scrapeServer, tickWindow, type ServerSample } from './server-metrics';

/** The run could not be made (server unreachable, unknown mode, no bot could join). CLI exit 2. */
export class RunError extends Error {
  override name = 'RunError';
}

export interface RunHooks {
  /** Once a second, with the phase and the target bot count. */
  onProgress?(point: TimelinePoint, phase: 'warm-up' | 'measuring' | 'stopping', elapsed: number, total: number): void;
  /** Warnings and notes for the user. */
  log?(line: string): void;
}

/** How long a run may go past the end of its measured window before the watchdog ends it. */
export const GRACE_MS = 15_000;
const WORKERS_READY_MS = 30_000;
const STEP_MS = 5_000;
/** Longest wait past the warm-up for bots still joining before measuring anyway. */
const SETTLE_MS = 5_000;

const sharedNow = () => performance.timeOrigin + performance.now();

export async function runLoadtest(options: LoadtestOptions, hooks: RunHooks = {}): Promise<Report> {
  const log = hooks.log ?? (() => {});
  await preflight(options);
  const nodes = await discoverNodes(options.urls);
  // The last sample of each node, for the per-node lines of the report.
  const perNode = new Map<string, ServerSample>();
  const scrape = async (timeoutMs = 2000): Promise<ServerSample | undefined> => {
    const samples = await Promise.all(nodes.map((url) => scrapeServer(url, timeoutMs).catch(() => undefined)));
    samples.forEach((s, i) => s && perNode.set(nodes[i]!, s));
    return samples.every((s) => s !== undefined) ? mergeSamples(samples as ServerSample[]) : undefined;
  };

  // Before anything: the server's counters.
  const before = await scrape();
  if (!before) log('warning: GET /metrics failed; server-side figures will be missing');

  const run = new Run(options, hooks, scrape, nodes.length > 1 ? { nodes, perNode } : undefined);
  return run.execute(before);
}

async function preflight(o: LoadtestOptions): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${o.url}/api/modes`, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? 'no answer in 5 s' : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new RunError(`cannot reach the server at ${o.url}: ${why}`);
  }
  if (!res.ok) throw new RunError(`GET ${o.url}/api/modes answered HTTP ${res.status}: is a Tickforge server listening there?`);
  const offered = ((await res.json().catch(() => [])) as Array<{ name?: string }>).map((m) => m.name);
  if (!offered.includes(o.mode)) throw new RunError(`the server has no mode "${o.mode}" (it offers: ${offered.join(', ') || 'none'})`);
  const mode = findMode(o.mode);
  if (!mode) throw new RunError(`mode "${o.mode}" is not in shared/src/modes, so the bots cannot decode its state`);
  const fields = mode.input.fields.map(([name]) => name);
  const missing = WORKLOAD_INPUT_FIELDS.filter((f) => !fields.includes(f));
  if (missing.length > 0) throw new RunError(`the bots play the arena workload, whose input has ${WORKLOAD_INPUT_FIELDS.join(', ')}; mode "${o.mode}" lacks ${missing.join(', ')}`);
}

class Run {
  private pool: WorkerPool | undefined;
  private readonly latest: (IntervalReport | undefined)[];
  private pendingRtt: string[] = [];
  private pendingAck: string[] = [];
  private readonly windows: WindowReport[] = [];
  private readonly closed: Array<{ counters: BotCounters; failures: Failures }> = [];
  private readonly timeline: TimelinePoint[] = [];
  private readonly windowSamples: ServerSample[] = [];
  private ready = 0;
  private crashed: string | undefined;
  private aborted: string | null = null;
  private measuring = false;
  private stopping = false;
  private t0 = 0;
  private measureAt = 0;
  private endAt = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly o: LoadtestOptions,
    private readonly hooks: RunHooks,
    private readonly scrape: (timeoutMs?: number) => Promise<ServerSample | undefined>,
    private readonly cluster?: { nodes: string[]; perNode: Map<string, ServerSample> },
  ) {
    this.latest = new Array(o.workers).fill(undefined);
  }

  async execute(before: ServerSample | undefined): Promise<Report> {
    const o = this.o;
    const startedAt = new Date().toISOString();
    this.pool = new WorkerPool(
      { urls: o.urls, mode: o.mode, decode: o.decode, input: o.input, seed: o.seed, ramp: o.ramp, botCount: o.bots, workers: o.workers },
      (w, m) => this.receive(w, m),
      (w, err) => {
        this.crashed = `bot worker ${w} crashed: ${err.message}`;
        this.wake();
      },
    );
    try {
      if (!(await this.until(() => this.ready === o.workers || this.crashed !== undefined, WORKERS_READY_MS))) {
        throw new RunError(`the bot workers did not start within ${WORKERS_READY_MS / 1000} s`);
      }
      if (this.crashed) throw new RunError(this.crashed);

      this.t0 = sharedNow() + 50;
      const rampEnd = this.t0 + ((o.bots - 1) / o.ramp) * 1000;
      this.measureAt = Math.max(this.t0 + o.warmup * 1000, rampEnd + 1000);
      this.endAt = this.measureAt + o.duration * 1000;
      const deadline = this.endAt + GRACE_MS;
      if (rampEnd + 1000 > this.t0 + o.warmup * 1000) {
        this.hooks.log?.(`note: the ramp (${o.bots} bots at ${o.ramp}/s) outlasts the warm-up; measuring starts 1 s after the last bot started`);
      }
      this.pool.send({ type: 'start', at: this.t0 });
      const watchdog = setTimeout(() => this.abort(`time limit: not finished ${GRACE_MS / 1000} s after the measured window`), deadline - sharedNow());
      watchdog.unref();

      const sampler = this.sample(before, rampEnd);
      let windowStart: ServerSample | undefined;
      let cpuAtMeasure = process.cpuUsage();
      let cpuWindow = { user: 0, system: 0 };
      let windowSeconds = 0;
      let nodesAtStart = new Map<string, ServerSample>();

      await this.sleepUntil(this.measureAt);
      // Measure a settled server: wait (at most SETTLE_MS, well within the watchdog's grace) for
      // every bot to have joined or given up.
      const settled = () => {
        const c = sumLatest(this.latest);
        return this.aborted !== null || c.joined + c.gaveUp >= o.bots;
      };
      if (!(await this.until(settled, SETTLE_MS))) {
        const c = sumLatest(this.latest);
        this.hooks.log?.(`note: measuring with ${o.bots - c.joined - c.gaveUp} bots still joining after ${SETTLE_MS / 1000} s more`);
      }
      this.measureAt = Math.max(this.measureAt, sharedNow());
      this.endAt = this.measureAt + o.duration * 1000;
      const { measureAt, endAt } = this;
      if (!this.aborted) {
        // Scrape and mark the workers at the same moment, so both sides cover the same window.
        const startScrape = this.scrape();
        this.pool.send({ type: 'measure' });
        cpuAtMeasure = process.cpuUsage();
        this.measuring = true;
        windowStart = await startScrape;
        nodesAtStart = new Map(this.cluster?.perNode);
        if (windowStart) this.windowSamples.push(windowStart);
        await this.sleepUntil(endAt);
      }
      const windowFrom = (measureAt - this.t0) / 1000;
      const windowTo = (Math.min(sharedNow(), endAt) - this.t0) / 1000;
      this.stopping = true;
      cpuWindow = process.cpuUsage(cpuAtMeasure);
      // The server's end of the window first: once the workers hear `finish` their bots leave, and
      // a scrape answered after that would count fewer clients for the same work.
      const windowEnd = await this.scrape();
      const nodesAtEnd = new Map(this.cluster?.perNode);
      this.pool.send({ type: 'finish' });
      windowSeconds = Math.max(0.001, windowTo - windowFrom);
      this.measuring = false;
      if (windowEnd) this.windowSamples.push(windowEnd);
      await this.until(() => this.windows.length === o.workers || this.crashed !== undefined, STEP_MS);
      await this.until(() => this.closed.length === o.workers || this.crashed !== undefined, STEP_MS);
      await sampler;
      clearTimeout(watchdog);
      const after = await this.scrape();
      const scrapeCpuMs = after ? await scrapeCost(after, this.scrape) : null;
      if (this.crashed && !this.aborted) this.aborted = this.crashed;

      const latest = sumLatest(this.latest);
      const server = buildServerFigures({ before, windowStart, windowEnd, after, windowSamples: this.windowSamples, scrapeCpuMs });
      const bots = buildBotFigures({
        target: o.bots,
        workers: o.workers,
        windows: this.windows,
        closed: this.closed,
        windowSeconds,
        cpuSeconds: (cpuWindow.user + cpuWindow.system) / 1e6,
        cores: availableParallelism(),
        latest: { counters: latest, failures: latest.failures },
      });
      const report: Report = {
        tool: 'tickforge-loadtest',
        version: 1,
        startedAt,
        options: o,
        environment: {
          node: process.version,
          platform: `${process.platform} ${process.arch}`,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          loadtestCores: availableParallelism(),
        },
        window: {
          from: round(windowFrom, 3),
          to: round(windowTo, 3),
          seconds: round(windowSeconds, 3),
          fromEpochMs: Math.round(this.t0 + windowFrom * 1000),
          toEpochMs: Math.round(this.t0 + windowTo * 1000),
        },
        server,
        bots,
        timeline: this.timeline,
        aborted: this.aborted,
        assertions: [],
      };
      if (this.cluster) report.nodes = this.cluster.nodes.map((url) => nodeFigures(url, nodesAtStart.get(url), nodesAtEnd.get(url)));
      if (bots.joined === 0) {
        const why = Object.entries(bots.totalFailures)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${n}× ${k}`)
          .join(', ');
        const err = new RunError(`no bot could join the server${why ? `: ${why}` : ''}`);
        (err as RunError & { report?: Report }).report = report;
        throw err;
      }
      return report;
    } finally {
      this.stopping = true;
      await this.pool.terminate().catch(() => {});
    }
  }

  private receive(w: number, m: WorkerToMain): void {
    switch (m.type) {
      case 'ready':
        this.ready++;
        break;
      case 'interval':
        this.latest[w] = m;
        this.pendingRtt.push(m.rtt);
        this.pendingAck.push(m.ack);
        break;
      case 'window':
        this.windows.push(m);
        break;
      case 'closed':
        this.closed.push({ counters: m.counters, failures: m.failures });
        break;
      case 'fatal':
        this.crashed = m.message;
        break;
    }
    this.wake();
  }

  /** The once-a-second timeline, progress line and early-stop checks, until the run stops. */
  private async sample(before: ServerSample | undefined, rampEnd: number): Promise<void> {
    let prevServer = before;
    let prevBots = zeroCounters();
    let prevCpu = process.cpuUsage();
    let prevAt = this.t0;
    let idleSeconds = 0;
    for (let next = this.t0 + 1000; !this.stopping && !this.aborted; next += 1000) {
      await this.sleepUntil(next);
      if (this.stopping || this.aborted) break;
      const server = await this.scrape(900);
      const now = sharedNow();
      const dt = (now - prevAt) / 1000;
      prevAt = now;
      const bots = sumLatest(this.latest);
      const rtt = summarize(mergeEncoded(this.pendingRtt));
      const ack = summarize(mergeEncoded(this.pendingAck));
      this.pendingRtt = [];
      this.pendingAck = [];
      const cpu = process.cpuUsage(prevCpu);
      prevCpu = process.cpuUsage();
      let serverPart: Pick<TimelinePoint, 'serverCpuCores' | 'serverBytesOutPerS' | 'serverClients' | 'tickP50Ms' | 'tickP99Ms' | 'serverRssMB'> = {
        serverCpuCores: null,
        serverBytesOutPerS: null,
        serverClients: null,
        tickP50Ms: null,
        tickP99Ms: null,
        serverRssMB: null,
      };
      if (server && prevServer) {
        const sdt = (server.at - prevServer.at) / 1000;
        const tick = tickWindow(prevServer, server);
        serverPart = {
          serverCpuCores: server.cpuSeconds !== undefined && prevServer.cpuSeconds !== undefined ? round((server.cpuSeconds - prevServer.cpuSeconds) / sdt, 4) : null,
          serverBytesOutPerS: server.bytesOut !== undefined && prevServer.bytesOut !== undefined ? Math.round((server.bytesOut - prevServer.bytesOut) / sdt) : null,
          serverClients: server.clients ?? null,
          tickP50Ms: tick && Number.isFinite(tick.p50) ? round(tick.p50, 4) : null,
          tickP99Ms: tick && Number.isFinite(tick.p99) ? round(tick.p99, 4) : null,
          serverRssMB: server.rssBytes !== undefined ? round(server.rssBytes / 2 ** 20, 1) : null,
        };
      }
      if (server) {
        prevServer = server;
        if (this.measuring) this.windowSamples.push(server);
      }
      const point: TimelinePoint = {
        t: round((now - this.t0) / 1000, 2),
        measuring: this.measuring,
        connected: bots.connected,
        patchesPerS: Math.round((bots.patches - prevBots.patches) / dt),
        bytesInPerS: Math.round((bots.bytesIn - prevBots.bytesIn) / dt),
        rttP50Ms: rtt ? round(rtt.p50, 3) : null,
        rttP99Ms: rtt ? round(rtt.p99, 3) : null,
        ackP99Ms: ack ? round(ack.p99, 3) : null,
        errors: bots.errors,
        botCpuCores: round((cpu.user + cpu.system) / 1e6 / dt, 4),
        ...serverPart,
      };
      prevBots = bots;
      this.timeline.push(point);
      const phase = now < this.measureAt ? 'warm-up' : now < this.endAt ? 'measuring' : 'stopping';
      this.hooks.onProgress?.(point, phase, (now - this.t0) / 1000, (this.endAt - this.t0) / 1000);

      // Stop early when nothing can come of the rest of the run.
      if (bots.started >= this.o.bots && bots.joined === 0 && bots.gaveUp >= this.o.bots) {
        this.abort('no bot could join');
      } else if (now > rampEnd + JOIN_TIMEOUT_MS && bots.started >= this.o.bots && bots.connected === 0) {
        if (++idleSeconds >= 3) this.abort('every bot is disconnected');
      } else idleSeconds = 0;
    }
  }

  private abort(reason: string): void {
    if (this.aborted) return;
    this.aborted = reason;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /** Resolves at `at` (shared ms), or earlier if the run is aborted. */
  private async sleepUntil(at: number): Promise<void> {
    await this.until(() => this.aborted !== null || sharedNow() >= at, at - sharedNow());
  }

  /** Waits until `done()` holds (checked on every message and wake-up) or `ms` passed; returns done(). */
  private until(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        finish();
      };
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(done());
      };
      const timer = setTimeout(finish, Math.max(0, ms));
      this.waiters.add(check);
    });
  }
}

/**
 * Server CPU one scrape of /metrics costs, ms: five scrapes back to back once the bots have left,
 * so the server is idle and its metrics code warm (cold, before the run, they cost several times more).
 */
async function scrapeCost(first: ServerSample, scrape: () => Promise<ServerSample | undefined>): Promise<number | null> {
  let last: ServerSample | undefined = first;
  for (let i = 0; i < 5 && last; i++) last = await scrape();
  if (last?.cpuSeconds === undefined || first.cpuSeconds === undefined) return null;
  return ((last.cpuSeconds - first.cpuSeconds) * 1000) / 5;
}

function sumLatest(latest: readonly (IntervalReport | undefined)[]): BotCounters & { failures: Failures } {
  const total = zeroCounters();
  const failures: Failures = {};
  for (const r of latest) {
    if (!r) continue;
    addCounters(total, r.counters);
    addFailures(failures, r.failures);
  }
  return { ...total, failures };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** One node's share of the window, from its own scrapes at the window's start and end. */
function nodeFigures(url: string, a: ServerSample | undefined, b: ServerSample | undefined): NodeFigures {
  const avg = (k: 'clients' | 'rooms') => (a?.[k] !== undefined && b?.[k] !== undefined ? round((a[k]! + b[k]!) / 2, 1) : null);
  const seconds = a && b ? (b.at - a.at) / 1000 : 0;
  const cpu = a?.cpuSeconds !== undefined && b?.cpuSeconds !== undefined && seconds > 0 ? round((b.cpuSeconds - a.cpuSeconds) / seconds, 3) : null;
  const tick = a && b ? tickWindow(a, b) : undefined;
  return { url, avgClients: avg('clients'), avgRooms: avg('rooms'), cpuCores: cpu, tickP99Ms: tick ? round(tick.p99, 3) : null };
}
