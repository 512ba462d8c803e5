/**
 * What the bots of one worker thread count: plain counters on the hot path, failures by kind,
 * and latency histograms for the measured window and for the current one-second interval.
 */
import { encodeHistogram, latencyHistogram, recordMs, type Histogram } from '../histograms';

/** Cumulative counters; all bots of a worker add to one instance. */
export interface BotCounters {
  /** Bots that began matchmaking. */
  started: number;
  /** Bots that got a WELCOME (joined a room). */
  joined: number;
  /** Bots that never joined: refused, timed out, or failed to connect. */
  gaveUp: number;
  /** Bots connected and welcomed right now. */
  connected: number;
  /** PATCH and RESYNC messages received. */
  patches: number;
  /** WebSocket payload bytes received (every message). */
  bytesIn: number;
  messagesIn: number;
  inputs: number;
  /** WebSocket payload bytes sent. */
  bytesOut: number;
  messagesOut: number;
  pings: number;
  pongs: number;
  /** Input frames a bot could not send on time because its worker's event loop was late. */
  inputsLate: number;
  /** Sum of every failure below. */
  errors: number;
}

export function zeroCounters(): BotCounters {
  return {
    started: 0,
    joined: 0,
    gaveUp: 0,
    connected: 0,
    patches: 0,
    bytesIn: 0,
    messagesIn: 0,
    inputs: 0,
    bytesOut: 0,
    messagesOut: 0,
    pings: 0,
    pongs: 0,
    inputsLate: 0,
    errors: 0,
  };
}

export function subtractCounters(a: BotCounters, b: BotCounters): BotCounters {
  const out = zeroCounters();
  for (const k of Object.keys(out) as (keyof BotCounters)[]) out[k] = a[k] - b[k];
  out.connected = a.connected; // a level, not a count
  return out;
}

export function addCounters(into: BotCounters, c: BotCounters): void {
  for (const k of Object.keys(into) as (keyof BotCounters)[]) into[k] += c[k];
}

/**
 * Failure kinds, counted by key: `refused:<why>` (matchmaking refused or the socket closed before
 * the welcome), `close:<code>` (closed by the server or the network while playing), `decode`
 * (a message the client could not decode), `timeout:<what>` (matchmake, welcome, pong, patches).
 */
export type Failures = Record<string, number>;

export function subtractFailures(a: Failures, b: Failures): Failures {
  const out: Failures = {};
  for (const [k, n] of Object.entries(a)) if (n - (b[k] ?? 0) > 0) out[k] = n - (b[k] ?? 0);
  return out;
}

export function addFailures(into: Failures, f: Failures): void {
  for (const [k, n] of Object.entries(f)) into[k] = (into[k] ?? 0) + n;
}

export class BotStats {
  readonly counters = zeroCounters();
  readonly failures: Failures = {};
  /** Measured window only. */
  readonly rtt = latencyHistogram();
  readonly ack = latencyHistogram();
  /** Since the last interval report (for the timeline and the progress line). */
  private rttInterval = latencyHistogram();
  private ackInterval = latencyHistogram();
  measuring = false;

  fail(kind: string): void {
    this.failures[kind] = (this.failures[kind] ?? 0) + 1;
    this.counters.errors++;
  }

  recordRtt(ms: number): void {
    this.counters.pongs++;
    recordMs(this.rttInterval, ms);
    if (this.measuring) recordMs(this.rtt, ms);
  }

  recordAck(ms: number): void {
    recordMs(this.ackInterval, ms);
    if (this.measuring) recordMs(this.ack, ms);
  }

  /** Encodes and resets the interval histograms. */
  takeInterval(): { rtt: string; ack: string } {
    const out = { rtt: encodeHistogram(this.rttInterval), ack: encodeHistogram(this.ackInterval) };
    this.rttInterval.reset();
    this.ackInterval.reset();
    return out;
  }

  snapshot(): { counters: BotCounters; failures: Failures } {
    return { counters: { ...this.counters }, failures: { ...this.failures } };
  }
}

export type { Histogram };
