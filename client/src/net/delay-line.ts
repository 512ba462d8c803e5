/**
 * One direction of a simulated link: delivers callbacks after a delay, in the order they were
 * pushed (a TCP stream never reorders), so a message delayed by jitter or a stall holds back the
 * ones behind it.
 */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Link stalls shared by both directions: each starts at a random time (exponential gaps with the
 * given mean) and holds every message pushed during it until it ends.
 */
export class StallSchedule {
  private start: number;

  constructor(
    private readonly stallMs: number,
    private readonly meanGapMs: number,
    private readonly random: () => number,
    now: number,
  ) {
    this.start = stallMs > 0 ? now + this.gap() : Infinity;
  }

  /** Extra delay for a message sent at `now`. */
  extraAt(now: number): number {
    while (now >= this.start + this.stallMs) this.start += this.stallMs + this.gap();
    return now >= this.start ? this.start + this.stallMs - now : 0;
  }

  private gap(): number {
    return -Math.log(1 - this.random()) * this.meanGapMs;
  }
}

export class DelayLine {
  private readonly queue: { at: number; fn: () => void }[] = [];
  private lastAt = -Infinity;
  private timer: unknown = undefined;
  private closed = false;

  constructor(
    private readonly delayMs: number,
    private readonly jitterMs: number,
    private readonly stalls: StallSchedule | undefined,
    private readonly random: () => number,
    private readonly timers: Timers = browserTimers,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  push(fn: () => void): void {
    if (this.closed) return;
    const now = this.timers.now();
    let at = now + this.delayMs + this.random() * this.jitterMs + (this.stalls?.extraAt(now) ?? 0);
    if (at < this.lastAt) at = this.lastAt; // keep order
    this.lastAt = at;
    this.queue.push({ at, fn });
    if (this.queue.length === 1) this.arm();
  }

  /** Drops everything still in flight. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const head = this.queue[0];
    if (!head) return;
    this.timer = this.timers.setTimeout(this.flush, Math.max(0, head.at - this.timers.now()));
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    const now = this.timers.now();
    // Timers may fire a fraction early (whole-ms rounding): allow 1 ms.
    while (this.queue.length > 0 && this.queue[0]!.at <= now + 1) {
      this.queue.shift()!.fn();
      if (this.closed) return;
    }
    this.arm();
  };
}
