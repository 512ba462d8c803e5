/**
 * An estimate of the server's clock from ping/pong round trips (NTP's idea, simplified).
 *
 * Each pong gives one sample: the server's time S when it answered, and the client's send and
 * receive times. The server answered somewhere inside the round trip, so the true offset
 * (server − client) lies in [S − receive, S − send]. Queueing and jitter only ever delay a message,
 * so every sample's interval holds the true offset, and the intersection over a window of samples
 * is bounded by the least-delayed upstream and the least-delayed downstream message: its midpoint
 * is the target, typically within a couple of ms even when single samples are off by tens. (If the
 * intersection is empty, the clocks moved against each other; then the median offset of the
 * shortest round trips serves.) The estimate moves towards the target gradually (a jump only when
 * far off), so rendering that depends on it never sees the clock step back and forth.
 */

export interface ServerClockOptions {
  /** Samples kept (a sliding window). */
  window?: number;
  /** Samples count as "short" when rtt ≤ minRtt × (1 + relativeMargin) + absoluteMarginMs. */
  relativeMargin?: number;
  absoluteMarginMs?: number;
  /** Fraction of the distance to the target the estimate moves per sample. */
  slew?: number;
  /** Beyond this distance from the target, the estimate jumps (a new route, a resumed tab). */
  stepMs?: number;
}

interface Sample {
  rtt: number;
  /** Midpoint offset, assuming equal delays both ways. */
  offset: number;
  /** Bounds of the true offset. */
  low: number;
  high: number;
}

export class ServerClock {
  /** serverTime − clientTime, in ms. Valid once `synced`. */
  offset = 0;
  synced = false;
  /** Median round trip of the window, ms. */
  rtt = 0;
  /** Shortest round trip of the window, ms. */
  minRtt = 0;
  /** Mean change of rtt between consecutive pongs (RFC 3550's smoothed form), ms. */
  rttJitter = 0;
  private readonly samples: Sample[] = [];
  private lastRtt = -1;
  private readonly window: number;
  private readonly relativeMargin: number;
  private readonly absoluteMarginMs: number;
  private readonly slew: number;
  private readonly stepMs: number;

  constructor(options: ServerClockOptions = {}) {
    this.window = options.window ?? 16;
    this.relativeMargin = options.relativeMargin ?? 0.1;
    this.absoluteMarginMs = options.absoluteMarginMs ?? 2;
    this.slew = options.slew ?? 0.25;
    this.stepMs = options.stepMs ?? 250;
  }

  /** One pong: the round trip it measured, the server time it carried, and the client time it arrived. */
  addSample(rttMs: number, serverTime: number, receivedAt: number): void {
    if (!(rttMs >= 0) || !Number.isFinite(serverTime)) return;
    const sample = { rtt: rttMs, offset: serverTime - (receivedAt - rttMs / 2), low: serverTime - receivedAt, high: serverTime - receivedAt + rttMs };
    this.samples.push(sample);
    if (this.samples.length > this.window) this.samples.shift();
    if (this.lastRtt >= 0) this.rttJitter += (Math.abs(rttMs - this.lastRtt) - this.rttJitter) / 16;
    this.lastRtt = rttMs;

    const rtts = this.samples.map((s) => s.rtt).sort((a, b) => a - b);
    this.minRtt = rtts[0]!;
    this.rtt = median(rtts);
    let low = -Infinity;
    let high = Infinity;
    for (const s of this.samples) {
      if (s.low > low) low = s.low;
      if (s.high < high) high = s.high;
    }
    const target = low <= high ? (low + high) / 2 : this.shortestRoundTripsOffset();
    if (!this.synced || Math.abs(target - this.offset) > this.stepMs) {
      this.offset = target;
      this.synced = true;
    } else {
      this.offset += (target - this.offset) * this.slew;
    }
  }

  private shortestRoundTripsOffset(): number {
    const limit = this.minRtt * (1 + this.relativeMargin) + this.absoluteMarginMs;
    return median(
      this.samples
        .filter((s) => s.rtt <= limit)
        .map((s) => s.offset)
        .sort((a, b) => a - b),
    );
  }

  /** The server's time now, given the client's time now. */
  serverNow(clientNow: number): number {
    return clientNow + this.offset;
  }
}

/** Median of an ascending array (not empty). */
function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
