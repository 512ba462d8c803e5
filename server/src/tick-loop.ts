/**
 * A fixed-timestep loop that does not drift. It schedules each tick against absolute time
 * (next += dt) rather than "dt after the last one", so timer lateness never accumulates; after a
 * stall it runs up to `maxCatchUp` ticks back to back and counts the rest as dropped.
 * (Node's setInterval truncates 33.3 ms to 33 ms and sags under load: ../shared/handbook/FACTS.md.)
 */
import type { Clock, TimerHandle } from './clock';

export interface TickLoopOptions {
  /** Ticks per second. */
  rate: number;
  clock: Clock;
  /** Ticks run back to back after a stall before the loop gives up on catching up. Default 5. */
  maxCatchUp?: number;
  /** Runs one tick. `tick` counts from 1. */
  onTick(tick: number): void;
  /** Called after each tick with its duration in ms (measured on the injected clock). */
  onTickMeasured?(durationMs: number, tick: number): void;
}

export interface TickLoopStats {
  ticks: number;
  /** Ticks skipped because the loop fell more than maxCatchUp behind. */
  dropped: number;
  /** Ticks whose own duration exceeded the tick interval. */
  overruns: number;
}

export class TickLoop {
  readonly intervalMs: number;
  readonly stats: TickLoopStats = { ticks: 0, dropped: 0, overruns: 0 };
  private readonly clock: Clock;
  private readonly maxCatchUp: number;
  /** Time the loop started; tick n is due at origin + n * intervalMs. */
  private origin = 0;
  private next = 0;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly options: TickLoopOptions) {
    this.intervalMs = 1000 / options.rate;
    this.clock = options.clock;
    this.maxCatchUp = options.maxCatchUp ?? 5;
  }

  get tick(): number {
    return this.stats.ticks + this.stats.dropped;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts, or resumes after `stop` with the next tick one interval from now (the count goes on). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.origin = this.clock.now() - (this.tick * 1000) / this.options.rate;
    this.next = this.dueTime(this.tick + 1);
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Absolute due time of tick n, by multiplication so rounding never accumulates. */
  private dueTime(n: number): number {
    return this.origin + (n * 1000) / this.options.rate;
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(this.fire, this.next - this.clock.now());
  }

  private readonly fire = (): void => {
    if (!this.running) return;
    const now = this.clock.now();
    // The epsilon keeps float rounding of n * interval from postponing a tick by a whole interval.
    let due = Math.floor((now - this.next) / this.intervalMs + 1e-9) + 1;
    if (due <= 0) {
      // The timer fired early (setTimeout rounds to whole ms): wait out the remainder.
      this.schedule();
      return;
    }
    if (due > this.maxCatchUp) {
      const skipped = due - this.maxCatchUp;
      this.stats.dropped += skipped;
      this.next = this.dueTime(this.tick + 1);
      due = this.maxCatchUp;
    }
    for (let i = 0; i < due && this.running; i++) {
      const started = this.clock.now();
      this.stats.ticks++;
      const tick = this.tick;
      this.options.onTick(tick);
      const took = this.clock.now() - started;
      if (took > this.intervalMs) this.stats.overruns++;
      this.options.onTickMeasured?.(took, tick);
      this.next = this.dueTime(tick + 1);
    }
    if (this.running) this.schedule();
  };
}
