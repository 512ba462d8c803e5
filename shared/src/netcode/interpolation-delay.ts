/**
 * How far behind the estimated server time other entities are rendered, adapted to the measured
 * arrival of patches.
 *
 * Each patch has a transit: the estimated server time when it arrived minus the server time of its
 * tick. To interpolate at render time r, the patch of the first tick after r (at most one patch
 * interval later) must have arrived, so the view must lag the server by at least
 * interval + transit. Over a sliding window the delay targets
 *
 *   max(transit_low + 2 × interval, interval + transit_high + margin)
 *
 * where transit_low/high are low and high quantiles of the window: with a steady connection this is
 * the transit plus two patch intervals (one to have a snapshot on each side, one spare for a late
 * patch); with jitter it grows to cover the spread. The part above transit_low is the
 * interpolation delay proper. The delay follows its target at a bounded rate (render time runs at
 * most a few percent fast, or at half speed when it must back off quickly), so motion never jumps.
 */

export interface InterpolationDelayOptions {
  /** Patch interval in ms (1000 / tickRate). */
  intervalMs: number;
  /** Transits kept (at 30 patches per second, 90 is three seconds). */
  window?: number;
  /** Quantile of transit that must be covered. */
  highQuantile?: number;
  lowQuantile?: number;
  marginMs?: number;
  /** Maximum rate the delay may grow / shrink, in ms of delay per ms of time. */
  growRate?: number;
  shrinkRate?: number;
}

export class InterpolationDelay {
  /** Current delay of the view behind the estimated server time, ms. */
  viewDelay = 0;
  /** Target of `viewDelay`, ms. */
  target = 0;
  /** Low quantile of transit: the one-way time of an unhindered patch, plus clock-estimate error. */
  transit = 0;
  /** RFC 3550 interarrival jitter of the transits, ms. */
  jitter = 0;
  private readonly transits: number[] = [];
  private readonly sorted: number[] = [];
  private lastTransit = NaN;
  private readonly o: Required<InterpolationDelayOptions>;

  constructor(options: InterpolationDelayOptions) {
    this.o = {
      window: 90,
      highQuantile: 0.95,
      lowQuantile: 0.1,
      marginMs: 4,
      growRate: 0.5,
      shrinkRate: 0.05,
      ...options,
    };
  }

  /** The interpolation delay proper: how far the view trails the newest patch, typically. */
  get interpolationDelay(): number {
    return this.viewDelay - this.transit;
  }

  get ready(): boolean {
    return this.transits.length > 0;
  }

  /** One patch arrived `transitMs` after its tick (on the estimated server clock). */
  observe(transitMs: number): void {
    if (!Number.isFinite(transitMs)) return;
    if (!Number.isNaN(this.lastTransit)) this.jitter += (Math.abs(transitMs - this.lastTransit) - this.jitter) / 16;
    this.lastTransit = transitMs;
    this.transits.push(transitMs);
    if (this.transits.length > this.o.window) this.transits.shift();
    const s = this.sorted;
    s.length = 0;
    for (const t of this.transits) s.push(t);
    s.sort((a, b) => a - b);
    const low = quantile(s, this.o.lowQuantile);
    const high = quantile(s, this.o.highQuantile);
    const interval = this.o.intervalMs;
    this.transit = low;
    this.target = Math.max(low + 2 * interval, interval + high + this.o.marginMs);
    if (this.transits.length === 1) this.viewDelay = this.target;
  }

  /** Moves the delay towards its target for a frame of `elapsedMs`. */
  advance(elapsedMs: number): void {
    const gap = this.target - this.viewDelay;
    // Far off (first patches, a resumed tab): jump rather than crawl for seconds.
    if (Math.abs(gap) > 500) {
      this.viewDelay = this.target;
      return;
    }
    const step = (gap > 0 ? this.o.growRate : this.o.shrinkRate) * Math.max(0, elapsedMs);
    this.viewDelay += Math.max(-step, Math.min(step, gap));
  }

  /** Forgets the history (a new connection). */
  reset(): void {
    this.transits.length = 0;
    this.lastTransit = NaN;
    this.viewDelay = this.target = this.transit = this.jitter = 0;
  }
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
}
