/**
 * Time, injected. The server runs on `systemClock`; tests and the mode harness run on a
 * `ManualClock` they step, so nothing waits on real time to see a tick.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (fractional). */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  setTimer(fn: () => void, ms: number): TimerHandle;
}

const origin = performance.now();

export const systemClock: Clock = {
  now: () => performance.now() - origin,
  setTimer(fn, ms) {
    // Whole milliseconds, rounded up: Node's timers keep whole milliseconds, so a fractional delay
    // fired up to 1 ms early, and the tick loop waited out the rest with a second timer (16 rooms:
    // 1.06-1.34 timer callbacks per tick; rounded up, 0.94, the same ticks). At most 1 ms late.
    const t = setTimeout(fn, Math.max(0, Math.ceil(ms)));
    return { cancel: () => clearTimeout(t) };
  },
};

interface PendingTimer {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told to; timers fire in time order as it passes them. */
export class ManualClock implements Clock {
  private time: number;
  private timers: PendingTimer[] = [];
  private order = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { at: this.time + Math.max(0, ms), order: this.order++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.timers) {
        if (!t.cancelled && t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.order < next.order))) next = t;
      }
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.time = end;
  }

  /** Moves time forward without firing timers, as a blocked event loop would. */
  stall(ms: number): void {
    this.time += ms;
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
