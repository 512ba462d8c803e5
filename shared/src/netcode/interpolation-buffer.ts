/**
 * Snapshots of the world stamped with the server time they describe, sampled at any time between
 * them. Other players are drawn at a render time a little in the past (see InterpolationDelay), so
 * there is almost always a snapshot on each side of it and motion is smooth whatever the arrival
 * jitter. The buffer is generic: a mode decides what a snapshot holds and how to blend two.
 */

export interface BufferSample<T> {
  /** Snapshot at or before the sampled time (the oldest one if the time is before every snapshot). */
  from: T;
  /** Snapshot after the sampled time, or `from` when there is none yet. */
  to: T;
  fromTime: number;
  toTime: number;
  /** Position of the sampled time between `fromTime` and `toTime`, in [0, 1]. */
  alpha: number;
  /**
   * Milliseconds the sampled time is past the newest snapshot (0 when inside the buffer): the
   * buffer ran dry and the caller holds the newest state.
   */
  starvedMs: number;
}

export class InterpolationBuffer<T> {
  private readonly times: number[] = [];
  private readonly values: T[] = [];

  /** @param capacity snapshots kept; at 30 per second, 64 is two seconds of history. */
  constructor(private readonly capacity = 64) {}

  get size(): number {
    return this.times.length;
  }
  get newestTime(): number {
    return this.times.length > 0 ? this.times[this.times.length - 1]! : -Infinity;
  }
  get oldestTime(): number {
    return this.times.length > 0 ? this.times[0]! : Infinity;
  }
  newest(): T | undefined {
    return this.values[this.values.length - 1];
  }

  /**
   * Adds a snapshot. Times must increase; a snapshot not newer than the newest replaces it when
   * equal and is ignored when older (a late duplicate cannot rewrite history).
   */
  push(time: number, value: T): void {
    const n = this.times.length;
    if (n > 0) {
      const newest = this.times[n - 1]!;
      if (time < newest) return;
      if (time === newest) {
        this.values[n - 1] = value;
        return;
      }
    }
    this.times.push(time);
    this.values.push(value);
    if (this.times.length > this.capacity) {
      this.times.shift();
      this.values.shift();
    }
  }

  /** The snapshots around `time`, or undefined while the buffer is empty. */
  sample(time: number): BufferSample<T> | undefined {
    const n = this.times.length;
    if (n === 0) return undefined;
    const newestTime = this.times[n - 1]!;
    if (time >= newestTime) {
      const v = this.values[n - 1]!;
      return { from: v, to: v, fromTime: newestTime, toTime: newestTime, alpha: 0, starvedMs: time - newestTime };
    }
    // Render time sits near the newest end: scan backwards.
    let i = n - 2;
    while (i >= 0 && this.times[i]! > time) i--;
    if (i < 0) {
      const v = this.values[0]!;
      const t0 = this.times[0]!;
      return { from: v, to: v, fromTime: t0, toTime: t0, alpha: 0, starvedMs: 0 };
    }
    const fromTime = this.times[i]!;
    const toTime = this.times[i + 1]!;
    return {
      from: this.values[i]!,
      to: this.values[i + 1]!,
      fromTime,
      toTime,
      alpha: (time - fromTime) / (toTime - fromTime),
      starvedMs: 0,
    };
  }

  clear(): void {
    this.times.length = 0;
    this.values.length = 0;
  }
}
