/**
 * One client's input buffer on the server: a small jitter buffer whose depth the client steers
 * with its input clock (time dilation), plus the catch-up rules after a stall.
 *
 * Why a buffer: every input is one simulation step. Applying each the tick after it arrives makes
 * the player stand still for a tick whenever an input comes a little late, then step twice — the
 * watchers see 0× and 2× speed. So inputs wait here for a short, steady time (the target wait) and
 * exactly one is applied per tick while they keep coming.
 *
 * The target follows the client's measured arrival jitter. At each tick the input applied has
 * waited `wait` ms since it arrived; `waitMs` is a moving average of that, `jitterMs` the moving
 * mean deviation, and `lateMs` a decaying peak of how much later than average an input came (it
 * halves every two seconds). The target is a quarter tick of margin plus the larger of three mean
 * deviations (for uniform jitter of spread J the mean deviation is J/4 and an input comes at most
 * J/2 after the average) and that peak (a browser's timers and a TCP stream have long tails: one
 * late input in a few seconds is what makes a player stand still), at most 150 ms. The offset
 * `waitMs - targetWaitMs` goes back to the client in every PATCH header; its input clock runs
 * slower when the offset is positive and faster when negative (shared/src/netcode/time-dilation.ts),
 * which moves the wait to its target without ever skipping or doubling a step.
 *
 * Recovery after a stall (a frozen link, a paused server, a background tab): inputs pile up, and
 * the clock alone (±5%) would need many seconds to drain them. Decision: **extra steps first, then
 * drop the stale excess.** Every tick earns one credit (ticks the loop skipped too), capped at one
 * second; each applied input spends one. A tick with nothing to apply (a stand-still tick) banks its
 * credit. When the queue has stayed above its allowed depth for `backlogWindow` ticks, up to
 * `maxExtraPerTick` extra inputs per tick are applied out of banked credits: the player catches up
 * on the ticks it stood still, at up to 3× speed, and its prediction stays exact because every input
 * is applied once. What the credits cannot cover (inputs beyond one second of stand-still, or a
 * client whose clock runs fast) is dropped, oldest first: those moments are long gone, and keeping
 * them would hold every later input back (the latency would never recover); the client's
 * prediction then sees one correction. Either way the backlog is back to target within about a
 * second (window + drain), and over any stretch a client never gets more steps than ticks passed:
 * a flood cannot buy speed, and a burst after a silence is a catch-up, not a flood. (A hard cap,
 * `capacity`, bounds the memory of a client that sends faster than time allows; the flood limiter
 * in client-messages.ts closes it.)
 *
 * Each frame carries the view tick of its INPUT (lag compensation); it is unwrapped against the
 * tick that applies it and clamped to the room's rewind bound here, so a mode only sees sane values.
 *
 * The room's interface: `push` a frame, `takeDue` the frames of this tick, read `ack` (the last
 * frame applied, echoed in every patch header for prediction) and `offsetMs` (the header's buffer
 * offset).
 */
import { unwrapViewTick, type ModePlayer, type PlayerInput } from '@tickforge/shared';

export interface InputQueueOptions {
  tickRate: number;
  /** Frames held at most; beyond, the oldest is dropped. Default 4 s of ticks. */
  capacity?: number;
  /** Inputs applied beyond one per tick while catching up. Default 2 (3× speed). */
  maxExtraPerTick?: number;
  /** Credits banked at most (ticks of catch-up allowance). Default one second of ticks. */
  maxCredits?: number;
  /** Ticks the queue must stay above its allowed depth before it is drained. Default 6. */
  backlogWindow?: number;
  /** Largest target wait, ms. Default 150. */
  maxTargetWaitMs?: number;
}

/** A frame as it waits: `viewTick` holds the wire form until `takeDue` resolves it. */
export interface QueuedInput<I> extends PlayerInput<I> {
  /** Server clock (ms) when the input arrived. */
  readonly arrivedAt: number;
  viewTick: number;
}

/** A queued frame from an INPUT message: `view` is its wire view tick (see unwrapViewTick). */
export function queuedInput<I>(player: ModePlayer, seq: number, input: I, view: number, arrivedAt: number): QueuedInput<I> {
  return { player, seq, input, viewTick: view, arrivedAt };
}

/** A client that sent nothing for this long is idle: its empty ticks are not stand-still ticks. */
const IDLE_MS = 500;
const WAIT_SMOOTHING = 1 / 8;
const JITTER_SMOOTHING = 1 / 16;
/** Per applied input: the late peak halves in 60 inputs (two seconds at 30 Hz). */
const PEAK_DECAY = Math.pow(0.5, 1 / 60);

export class InputQueue<I = unknown> {
  /** Inputs applied (normal and catch-up). */
  applied = 0;
  /** Ticks with nothing to apply while the client was sending: the player stood still. */
  standStill = 0;
  /** Inputs applied as extra steps (catch-up). */
  extraSteps = 0;
  /** Stale inputs dropped (beyond what catch-up could cover). */
  dropped = 0;
  /** Moving average of the time an applied input waited here, ms. */
  waitMs = 0;
  /** Moving mean deviation of that wait: the measured arrival jitter, ms. */
  jitterMs = 0;
  /** Decaying peak of how much shorter than average an input waited (came late), ms. */
  lateMs = 0;
  private readonly frames: QueuedInput<I>[] = [];
  private readonly capacity: number;
  private readonly intervalMs: number;
  private readonly maxExtra: number;
  private readonly maxCredits: number;
  private readonly maxTargetWaitMs: number;
  /** Queue depth at the last ticks (before applying). */
  private readonly depths: number[];
  private depthAt = 0;
  private depthsSeen = 0;
  private credits = 0;
  private lastTick = -1;
  private lastArrival = -Infinity;
  /** Stand-still ticks in a row just before this one. */
  private starved = 0;
  private draining = false;
  private measured = false;

  constructor(options: InputQueueOptions) {
    this.intervalMs = 1000 / options.tickRate;
    this.capacity = options.capacity ?? options.tickRate * 4;
    this.maxExtra = options.maxExtraPerTick ?? 2;
    this.maxCredits = options.maxCredits ?? options.tickRate;
    this.maxTargetWaitMs = options.maxTargetWaitMs ?? 150;
    this.depths = new Array<number>(options.backlogWindow ?? 6).fill(0);
  }

  private acked = 0;

  /** Sequence number of the last frame applied by the simulation (0 before any). */
  get ack(): number {
    return this.acked;
  }

  get length(): number {
    return this.frames.length;
  }

  /** The wait the buffer aims at, ms: a quarter tick of margin plus the jitter (see above). */
  get targetWaitMs(): number {
    const spread = 3 * this.jitterMs > this.lateMs ? 3 * this.jitterMs : this.lateMs;
    const t = this.intervalMs / 4 + spread;
    return t < this.maxTargetWaitMs ? t : this.maxTargetWaitMs;
  }

  /** How far the wait is from target, ms: what the PATCH header tells the client (0 until measured). */
  get offsetMs(): number {
    return this.measured ? this.waitMs - this.targetWaitMs : 0;
  }

  /**
   * Queue depth beyond which (for `backlogWindow` ticks) the queue is drained: four ticks above the
   * target. Smaller excesses (the target moving as the jitter changes, a clock that drifted) are
   * the clock's to trim, smoothly; catching up with extra steps is for stalls, as it shows (the
   * player moves faster for a moment).
   */
  get allowedDepth(): number {
    return Math.ceil(this.targetWaitMs / this.intervalMs) + 4;
  }

  /** Queues a frame (its sequence number already checked to increase). */
  push(frame: QueuedInput<I>): void {
    if (this.frames.length >= this.capacity) {
      this.frames.shift();
      this.dropped++;
    }
    this.frames.push(frame);
    this.lastArrival = frame.arrivedAt;
  }

  /**
   * Once per tick (`tick` runs at `now`): appends the frames to apply to `out` (one, more while
   * catching up, none when nothing came), acknowledges the last, and returns how many. View ticks
   * are clamped to [tick - maxRewindTicks, tick].
   */
  takeDue(tick: number, now: number, out: PlayerInput<I>[], maxRewindTicks = 0): number {
    const from = out.length;
    const n = this.take(tick, now, out);
    for (let i = from; i < out.length; i++) {
      const f = out[i] as QueuedInput<I>;
      const view = unwrapViewTick(f.viewTick, tick);
      f.viewTick = view < tick - maxRewindTicks ? tick - maxRewindTicks : view;
    }
    if (n > 0) this.acked = out[out.length - 1]!.seq;
    return n;
  }

  private take(tick: number, now: number, out: PlayerInput<I>[]): number {
    const elapsed = this.lastTick < 0 ? 1 : Math.max(1, tick - this.lastTick);
    this.lastTick = tick;
    this.credits = Math.min(this.credits + elapsed, this.maxCredits);
    const depth = this.frames.length;
    this.depths[this.depthAt] = depth;
    this.depthAt = (this.depthAt + 1) % this.depths.length;
    this.depthsSeen++;
    if (depth === 0) {
      if (now - this.lastArrival < IDLE_MS) {
        this.standStill++;
        this.starved++;
      }
      return 0;
    }
    const first = this.frames.shift()!;
    out.push(first);
    this.applied++;
    this.credits -= 1;
    if (!this.draining && this.depthsSeen >= this.depths.length) {
      let floor = Infinity;
      for (const d of this.depths) if (d < floor) floor = d;
      this.draining = floor > this.allowedDepth;
    }
    if (!this.draining) {
      // A queue two ticks over its target holds a burst, and an input after several stand-still
      // ticks ends a silence: a stall, not jitter, so no sample.
      const starved = this.starved;
      this.starved = 0;
      if (depth > this.allowedDepth - 2 || starved > 1) return 1;
      // The wait of an input applied right after a stand-still tick counts from the tick it missed.
      const wait = now - first.arrivedAt - (starved === 1 ? this.intervalMs : 0);
      if (!this.measured) {
        this.waitMs = wait; // a fresh start (first input, or just caught up: the backlog's waits say nothing now)
        this.measured = true;
      } else {
        const limit = 3 * this.intervalMs;
        const dev = Math.min(Math.abs(wait - this.waitMs), limit);
        this.jitterMs += (dev - this.jitterMs) * JITTER_SMOOTHING;
        const late = Math.min(this.waitMs - wait, limit);
        this.lateMs = late > this.lateMs * PEAK_DECAY ? late : this.lateMs * PEAK_DECAY;
        this.waitMs += (wait - this.waitMs) * WAIT_SMOOTHING;
      }
      return 1;
    }
    // Catching up: down to the depth of the target wait (not just under the allowed depth).
    this.starved = 0;
    const over = this.frames.length - Math.round(this.targetWaitMs / this.intervalMs);
    if (over <= 0) {
      this.draining = false;
      this.measured = false;
      return 1;
    }
    const extra = Math.min(this.maxExtra, over, Math.floor(this.credits));
    for (let i = 0; i < extra; i++) out.push(this.frames.shift()!);
    this.applied += extra;
    this.extraSteps += extra;
    this.credits -= extra;
    // What banked credits cannot cover is stale: drop it, oldest first.
    const uncovered = over - extra - Math.floor(this.credits);
    if (uncovered > 0) {
      this.frames.splice(0, uncovered);
      this.dropped += uncovered;
    }
    return 1 + extra;
  }

  /** Discards every queued frame (the connection is gone). */
  clear(): void {
    this.frames.length = 0;
  }
}

/**
 * The tick's input batch: every player's due frames, in player order. Reuses `batch`.
 * View ticks come out clamped to the rewind bound.
 */
export function collectDueInputs(queues: Iterable<{ readonly inputs: InputQueue }>, batch: PlayerInput<unknown>[], tick: number, now: number, maxRewindTicks: number): void {
  batch.length = 0;
  for (const c of queues) c.inputs.takeDue(tick, now, batch, maxRewindTicks);
}
