/**
 * Time dilation of the client's input clock (the scheme of Overwatch, GDC 2017, and of Unity's
 * Netcode for Entities "command age"). The server keeps each client's inputs in a small buffer and
 * says in every PATCH how far the time they wait there is from its target (`bufferOffsetMs`:
 * positive, they wait too long; negative, too short or they came late). The client answers by
 * running its input clock a few percent slower or faster, which moves every later input earlier
 * or later on the server's timeline until the offset is back near 0. The simulation step of an
 * input never changes (one input is one server tick), so prediction stays exact; only *when*
 * inputs are produced moves.
 *
 * Proportional control on a signal that comes back a round trip late: the rate is
 * -offset / horizon, clamped to ±maxDilation. With a 2 s horizon the loop gain times its delay
 * (round trip plus the server's smoothing, ~0.5 s) stays near 0.25, well below where it would
 * overshoot; and ±5% corrects a one-tick error (33 ms) in under a second at full speed without a
 * player noticing their inputs are produced 5% faster. Larger backlogs (a stall) are the server's
 * job (it catches up or drops, see the room's input queue); the clock only trims.
 */
export interface TimeDilationOptions {
  /** Offset (ms) that would be corrected in this many ms at the proportional rate. Default 2000. */
  horizonMs?: number;
  /** Largest speed-up or slow-down, as a fraction. Default 0.05. */
  maxDilation?: number;
}

export class TimeDilation {
  /** Current dilation: the input clock runs at (1 + dilation) times the tick rate. */
  dilation = 0;
  /** The last offset the server reported, ms. */
  offsetMs = 0;
  private readonly horizonMs: number;
  private readonly max: number;

  constructor(options: TimeDilationOptions = {}) {
    this.horizonMs = options.horizonMs ?? 2000;
    this.max = options.maxDilation ?? 0.05;
  }

  /** A PATCH said the inputs wait `offsetMs` longer (> 0) or shorter (< 0) than the server's target. */
  observe(offsetMs: number): number {
    this.offsetMs = offsetMs;
    const d = (0 - offsetMs) / this.horizonMs;
    this.dilation = d > this.max ? this.max : d < -this.max ? -this.max : d;
    return this.dilation;
  }

  /** The input interval for a base interval (ms) at the current dilation. */
  interval(baseMs: number): number {
    return baseMs / (1 + this.dilation);
  }

  reset(): void {
    this.dilation = 0;
    this.offsetMs = 0;
  }
}
