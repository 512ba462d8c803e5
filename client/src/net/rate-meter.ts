/**
 * Counts events (or bytes) over a sliding window: "patches per second", "kbps down". Events are
 * kept in 100 ms buckets, so memory is fixed whatever the rate.
 */
export class RateMeter {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;
  private total = 0;

  constructor(
    private readonly windowMs = 1000,
    private readonly bucketMs = 100,
  ) {
    const n = Math.ceil(windowMs / bucketMs) + 1;
    this.buckets = new Float64Array(n);
    this.stamps = new Float64Array(n).fill(-1);
  }

  add(now: number, amount = 1): void {
    const slot = Math.floor(now / this.bucketMs);
    const i = slot % this.buckets.length;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += amount;
    this.total += amount;
  }

  /** Amount per second over the last window (complete buckets only, so it does not flicker). */
  perSecond(now: number): number {
    const current = Math.floor(now / this.bucketMs);
    const span = this.buckets.length - 1;
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const slot = this.stamps[i]!;
      if (slot < current && slot >= current - span) sum += this.buckets[i]!;
    }
    return (sum * 1000) / (span * this.bucketMs);
  }

  /** Everything ever added. */
  get count(): number {
    return this.total;
  }
}
