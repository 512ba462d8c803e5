/**
 * A worker thread running a share of the bots. It starts its bots on the ramp's schedule, drives
 * their frames, reports counters and latency histograms every second, marks the measured window
 * when told, and on `finish` reports the window, closes every bot and reports the totals.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { findMode } from '@tickforge/shared';
import { encodeHistogram } from '../histograms';
import { Bot, type BotConfig } from './bot';
import { BotStats, subtractCounters, subtractFailures } from './bot-stats';
import { FrameScheduler } from './frame-scheduler';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-protocol';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: WorkerToMain) => port.postMessage(m);
const sharedNow = () => performance.timeOrigin + performance.now();

const mode = findMode(init.mode);
if (!mode) throw new Error(`mode "${init.mode}" is not known to the bots (shared/src/modes)`);
const configs: BotConfig[] = init.urls.map((url) => ({ url, mode, decode: init.decode, input: init.input, seed: init.seed }));
const stats = new BotStats();

// @colyseus/schema does not throw on a patch it cannot apply (an unknown refId, a definition
// mismatch): it logs and skips. Those are decode errors, counted rather than printed once per bot.
const SCHEMA_COMPLAINT = /refId|definition mismatch|Please report this issue|@colyseus\/schema/;
for (const level of ['error', 'warn'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    if (!SCHEMA_COMPLAINT.test(String(args[0]))) return original(...args);
    if (level === 'error' || /definition mismatch/.test(String(args[0]))) stats.fail('decode');
  };
}
const scheduler = new FrameScheduler();
const bots = init.bots.map((i) => new Bot(i, configs[i % configs.length]!, stats));
const startTimers: NodeJS.Timeout[] = [];
const intervalDelay = monitorEventLoopDelay({ resolution: 10 });
const windowDelay = monitorEventLoopDelay({ resolution: 10 });
let intervalElu = performance.eventLoopUtilization();
let reporter: NodeJS.Timeout | undefined;
let windowStart = 0;
let windowBase = stats.snapshot();
let windowElu = performance.eventLoopUtilization();

function start(at: number): void {
  intervalDelay.enable();
  scheduler.start();
  for (const bot of bots) {
    const t = setTimeout(
      () => {
        scheduler.add(bot, bot.index);
        void bot.start();
      },
      Math.max(0, at + (bot.index / init.ramp) * 1000 - sharedNow()),
    );
    startTimers.push(t);
  }
  reporter = setInterval(reportInterval, 1000);
}

function reportInterval(): void {
  const { counters, failures } = stats.snapshot();
  const h = stats.takeInterval();
  const elu = performance.eventLoopUtilization(intervalElu);
  intervalElu = performance.eventLoopUtilization();
  post({ type: 'interval', counters, failures, rtt: h.rtt, ack: h.ack, elu: elu.utilization, loopDelayP99: intervalDelay.percentile(99) / 1e6 });
  intervalDelay.reset();
}

function measure(): void {
  windowStart = performance.now();
  windowBase = stats.snapshot();
  stats.rtt.reset();
  stats.ack.reset();
  stats.measuring = true;
  windowElu = performance.eventLoopUtilization();
  windowDelay.enable();
}

async function finish(): Promise<void> {
  const windowEnd = performance.now();
  stats.measuring = false;
  windowDelay.disable();
  const now = stats.snapshot();
  let clientMs = 0;
  for (const b of bots) {
    if (b.welcomedAt === 0 || windowStart === 0) continue;
    const from = Math.max(b.welcomedAt, windowStart);
    const to = b.closedAt > 0 ? Math.min(b.closedAt, windowEnd) : windowEnd;
    if (to > from) clientMs += to - from;
  }
  post({
    type: 'window',
    counters: subtractCounters(now.counters, windowBase.counters),
    failures: subtractFailures(now.failures, windowBase.failures),
    rtt: encodeHistogram(stats.rtt),
    ack: encodeHistogram(stats.ack),
    clientSeconds: clientMs / 1000,
    elu: performance.eventLoopUtilization(windowElu).utilization,
    loopDelayP99: windowStart === 0 ? 0 : windowDelay.percentile(99) / 1e6,
  });
  for (const t of startTimers) clearTimeout(t);
  clearInterval(reporter);
  scheduler.stop();
  await Promise.all(bots.map((b) => b.stop()));
  const total = stats.snapshot();
  post({ type: 'closed', counters: total.counters, failures: total.failures });
}

port.on('message', (m: MainToWorker) => {
  if (m.type === 'start') start(m.at);
  else if (m.type === 'measure') measure();
  else if (m.type === 'finish') void finish();
});
post({ type: 'ready' });
