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
 * interpolation delay proper.
 *
 * Stalls are not jitter. When the link stalls (no patch for `stallGapMs`), the patches queued behind
 * it arrive in one burst with transits of up to the stall's length; counting them would push the
 * delay to ~300 ms for the whole window (3 s) after a 400 ms spike, to cover an event that is
 * already over. So the burst after a stall (the patches later than the pre-stall high quantile,
 * for at most `burstMs`) is left out of the window and of the jitter figure; a latency that stays
 * high past `burstMs` is a new normal and is counted.
 *
 * The delay follows its target at a bounded rate, so motion never jumps: it grows at `growRate`
 * (render time at half speed) and shrinks at a rate proportional to the excess (render time runs
 * faster by excess / catchUpMs, at least `shrinkRate` and at most `maxCatchUpRate`): a small excess
 * goes unnoticed at 10 %, a big one (after the view held through a stall, see `hold`) is caught up
 * in under two seconds (a 1 s stall: ~1.6 s), played fast-forward (at most 2×) rather than snapped.
 * In the browser with `?spike=1000` (client/test/browser.test.ts, spike-recovery.json) the target
 * was ~60 ms before the stall and ~63 ms after it, the held view ~1010 ms behind at its end, and
 * back on target two seconds later. (Before, a 400 ms spike pushed the delay to ~290 ms, which
 * shrank at 5 %, and the view ran on into the empty buffer and snapped: issue 11.)
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
  /** Maximum rate the delay may grow, in ms of delay per ms of time. */
  growRate?: number;
  /** Slowest rate the delay shrinks at (ms per ms), for an excess under `catchUpMs × shrinkRate`. */
  shrinkRate?: number;
  /** The delay shrinks at excess / catchUpMs (ms per ms): it halves an excess in ~0.2 s. */
  catchUpMs?: number;
  /** Fastest shrink rate: render time runs at most 1 + this fast (2×). */
  maxCatchUpRate?: number;
  /** No patch for this long is a stall (default: the larger of 150 ms and four intervals). */
  stallGapMs?: number;
  /** How long after a stall late patches count as its burst, ms. */
  burstMs?: number;
  /** Beyond this distance from the target the delay jumps (a resumed tab, a stall of seconds). */
  jumpMs?: number;
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
  /** Stalls seen (gaps without patches longer than `stallGapMs`). */
  stalls = 0;
  /** Patches left out of the window as the burst after a stall. */
  burstPatches = 0;
  private lastArrival = NaN;
  /** While a stall's burst is arriving: until when, and the transit that ends it. */
  private burstUntil = -Infinity;
  private burstCeiling = Infinity;
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
      shrinkRate: 0.1,
      catchUpMs: 300,
      maxCatchUpRate: 1,
      stallGapMs: Math.max(150, 4 * options.intervalMs),
      burstMs: 1000,
      jumpMs: 1000,
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

  /**
   * One patch arrived `transitMs` after its tick (on the estimated server clock), at `arrivalMs` on
   * the client's clock (without it, stalls are not told from jitter).
   */
  observe(transitMs: number, arrivalMs = NaN): void {
    if (!Number.isFinite(transitMs)) return;
    if (this.inBurst(transitMs, arrivalMs)) {
      this.burstPatches++;
      return;
    }
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
    // Far off (first patches, a resumed tab, a stall of seconds): jump rather than crawl.
    if (Math.abs(gap) > this.o.jumpMs) {
      this.viewDelay = this.target;
      return;
    }
    const o = this.o;
    const rate = gap > 0 ? o.growRate : Math.min(o.maxCatchUpRate, Math.max(o.shrinkRate, -gap / o.catchUpMs));
    const step = rate * Math.max(0, elapsedMs);
    this.viewDelay += Math.max(-step, Math.min(step, gap));
  }

  /**
   * The view ran past the newest snapshot: hold it there (the delay becomes at least `neededMs`,
   * the estimated server time minus the newest snapshot's time) rather than let render time run
   * on into nothing and jump when the next patch lands. `advance` then plays the excess back
   * fast-forward.
   */
  hold(neededMs: number): void {
    if (neededMs > this.viewDelay) this.viewDelay = neededMs;
  }

  /** Whether this patch belongs to the burst that follows a stall (and so says nothing of jitter). */
  private inBurst(transitMs: number, arrivalMs: number): boolean {
    if (Number.isNaN(arrivalMs)) return false;
    const gap = arrivalMs - this.lastArrival;
    this.lastArrival = arrivalMs;
    if (gap > this.o.stallGapMs && this.transits.length > 0) {
      this.stalls++;
      this.burstUntil = arrivalMs + this.o.burstMs;
      this.burstCeiling = quantile(this.sorted, this.o.highQuantile) + this.o.intervalMs;
    }
    if (arrivalMs < this.burstUntil && transitMs > this.burstCeiling) return true;
    this.burstUntil = -Infinity; // drained: the first patch on time ends the burst
    return false;
  }

  /** Forgets the history (a new connection). */
  reset(): void {
    this.transits.length = 0;
    this.sorted.length = 0;
    this.lastTransit = this.lastArrival = NaN;
    this.burstUntil = -Infinity;
    this.viewDelay = this.target = this.transit = this.jitter = 0;
    this.stalls = this.burstPatches = 0;
  }
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
}
