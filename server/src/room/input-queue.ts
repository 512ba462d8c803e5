/**
 * A player's input frames between the socket and the simulation (Quake III's usercmd queue in
 * sv_client.c). Frames arrive whenever the network delivers them and are applied at one frame per
 * tick; a player who fell behind (a late burst after a gap) may apply up to `burst` frames in one
 * tick, so jitter costs latency only briefly. A queue that overflows drops its oldest frame: the
 * newest input is what the player means now.
 *
 * The interface is the seam for a jitter buffer: `push` a frame, `takeDue` the frames of this tick,
 * read `ack` (the last frame applied, echoed in every patch header for prediction).
 */
import type { PlayerInput } from '@tickforge/shared';

export class InputQueue {
  private readonly frames: PlayerInput<unknown>[] = [];
  /** Ticks' worth of input the player may still apply this tick. */
  private credits = 0;
  private acked = 0;
  /** Frames dropped from a full queue. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly burst: number,
  ) {}

  /** Sequence number of the last frame applied by the simulation (0 before any). */
  get ack(): number {
    return this.acked;
  }

  get length(): number {
    return this.frames.length;
  }

  /** Queues a frame (its sequence number already checked to increase). */
  push(frame: PlayerInput<unknown>): void {
    if (this.frames.length >= this.capacity) {
      this.frames.shift();
      this.dropped++;
    }
    this.frames.push(frame);
  }

  /** Once per tick: moves the frames due this tick into `out` and acknowledges the last of them. */
  takeDue(out: PlayerInput<unknown>[]): void {
    this.credits = Math.min(this.credits + 1, this.burst);
    while (this.credits >= 1 && this.frames.length > 0) {
      const frame = this.frames.shift()!;
      out.push(frame);
      this.acked = frame.seq;
      this.credits--;
    }
  }

  /** Discards every queued frame (the connection is gone). */
  clear(): void {
    this.frames.length = 0;
  }
}

/** The tick's input batch: every player's due frames, in player order. Reuses `batch`. */
export function collectDueInputs(queues: Iterable<{ readonly inputs: InputQueue }>, batch: PlayerInput<unknown>[]): void {
  batch.length = 0;
  for (const c of queues) c.inputs.takeDue(batch);
}
