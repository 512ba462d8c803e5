/**
 * Runs a step at a fixed rate on an absolute schedule (next += interval) against performance.now:
 * the rate matches the server's tick rate exactly over time, whatever the timer lateness, which a
 * setInterval(33) cannot do (it would send 30.3 inputs a second to a 30 Hz server and fill its
 * queue). After a stall (a background tab) it runs a few steps back to back and skips the rest.
 *
 * Time dilation: `dilation` (set from the server's input-buffer offset, see TimeDilation in the
 * shared netcode) stretches or shrinks the interval by a few percent, so the server's buffer of
 * this client's inputs stays at its target. The schedule stays absolute; only its step changes.
 */
export interface StepTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const defaultTimers: StepTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class FixedStep {
  /** Steps run. */
  steps = 0;
  /** Steps skipped after stalls. */
  skipped = 0;
  /** Scheduled time of the last step run. */
  lastStepAt = 0;
  /** The clock runs at (1 + dilation) times its rate: a few percent either way. */
  dilation = 0;
  private next = 0;
  private timer: unknown = undefined;
  private running = false;

  constructor(
    readonly intervalMs: number,
    private readonly onStep: () => void,
    private readonly maxCatchUp = 4,
    private readonly timers: StepTimers = defaultTimers,
  ) {}

  /** Runs the first step now, then every interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.next = this.timers.now();
    this.pump();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The interval between steps now, with the dilation. */
  get currentIntervalMs(): number {
    return this.intervalMs / (1 + this.dilation);
  }

  /** Fraction of an interval elapsed since the last step, in [0, 1]. */
  fraction(now: number): number {
    const f = (now - this.lastStepAt) / this.currentIntervalMs;
    return f < 0 ? 0 : f > 1 ? 1 : f;
  }

  /** Runs every step that is due. Safe to call at any time (for example from a render frame). */
  readonly pump = (): void => {
    if (!this.running) return;
    const now = this.timers.now();
    const interval = this.currentIntervalMs;
    let due = Math.floor((now - this.next) / interval) + 1;
    if (due > this.maxCatchUp) {
      const skip = due - this.maxCatchUp;
      this.skipped += skip;
      this.next += skip * interval;
      due = this.maxCatchUp;
    }
    for (let i = 0; i < due && this.running; i++) {
      this.lastStepAt = this.next;
      this.next += this.currentIntervalMs;
      this.steps++;
      this.onStep();
    }
    if (!this.running) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(this.pump, Math.max(0, this.next - this.timers.now()));
  };
}
