/**
 * Messages between the loadtest's main thread and its bot worker threads.
 * Times are "shared ms": performance.timeOrigin + performance.now(), comparable across threads.
 */
import type { DecodeMode, InputModel } from '../options';
import type { BotCounters, Failures } from './bot-stats';

export interface WorkerInit {
  /** Servers to matchmake through: bot i uses urls[i % urls.length]. */
  urls: string[];
  mode: string;
  decode: DecodeMode;
  input: InputModel;
  seed: number;
  /** Global indexes of this worker's bots. */
  bots: number[];
  /** Bots started per second, over all workers: bot i starts at start + i / ramp seconds. */
  ramp: number;
}

export type MainToWorker = { type: 'start'; at: number } | { type: 'measure' } | { type: 'finish' };

export interface IntervalReport {
  type: 'interval';
  counters: BotCounters;
  failures: Failures;
  /** Encoded histograms of this interval only. */
  rtt: string;
  ack: string;
  /** Event loop utilisation of this worker over the interval, 0..1. */
  elu: number;
  /** p99 event-loop delay over the interval, ms. */
  loopDelayP99: number;
}

export interface WindowReport {
  type: 'window';
  /** Counters and failures within the measured window. */
  counters: BotCounters;
  failures: Failures;
  rtt: string;
  ack: string;
  /** Sum over bots of the time each was welcomed and connected within the window, seconds. */
  clientSeconds: number;
  /** Event loop utilisation over the window, 0..1. */
  elu: number;
  loopDelayP99: number;
}

export type WorkerToMain = { type: 'ready' } | IntervalReport | WindowReport | { type: 'closed'; counters: BotCounters; failures: Failures } | { type: 'fatal'; message: string };
