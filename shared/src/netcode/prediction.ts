/**
 * Client-side prediction of the own player, with reconciliation.
 *
 * Every input frame the client sends is also applied locally with the mode's shared movement rule,
 * so the player moves at once instead of a round trip later. Each patch says which input the
 * server applied last (`ack`) and where the player was after it. Reconciliation starts from that
 * authoritative position and replays the inputs the server has not applied yet: when both sides
 * ran the same rule on the same inputs, the result equals the prediction exactly and nothing moves.
 * When it does not (a respawn, a dropped input, another player's push) the difference is a
 * correction: a small one is absorbed into a visual offset that decays smoothly, a large one snaps.
 */

export interface Position {
  x: number;
  y: number;
}

export interface PredictorOptions<I> {
  /** The mode's movement rule: advance `p` by one frame of `input` over `dt` seconds (mutates p). */
  step(p: Position, input: I, dt: number): void;
  /** Seconds one input frame stands for on the server (1 / tickRate). */
  dt: number;
  /** Corrections longer than this (world units) snap instead of being smoothed. */
  snapDistance?: number;
  /** Time constant of the smoothing of small corrections, ms. */
  smoothingMs?: number;
  /** Differences up to this (world units) are not corrections (float noise). */
  epsilon?: number;
  /** Unacknowledged inputs kept at most (beyond it the server is not applying them anyway). */
  maxPending?: number;
}

interface PendingInput<I> {
  seq: number;
  input: I;
}

export class Predictor<I> {
  /** Where the server will have the player once it applied every input sent so far. */
  readonly predicted: Position = { x: 0, y: 0 };
  /** Visual offset still to smooth away: drawn position = predicted + error. */
  readonly error: Position = { x: 0, y: 0 };
  initialized = false;
  /** Reconciliations that moved the prediction by more than epsilon. */
  corrections = 0;
  /** Of which snapped. */
  snaps = 0;
  /** Size of the last correction (0 when the last reconciliation agreed), world units. */
  lastCorrection = 0;
  private pending: PendingInput<I>[] = [];
  private readonly scratch: Position = { x: 0, y: 0 };
  private readonly snapDistance: number;
  private readonly smoothingMs: number;
  private readonly epsilon: number;
  private readonly maxPending: number;

  constructor(private readonly options: PredictorOptions<I>) {
    this.snapDistance = options.snapDistance ?? 100;
    this.smoothingMs = options.smoothingMs ?? 100;
    this.epsilon = options.epsilon ?? 0.01;
    this.maxPending = options.maxPending ?? 256;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Starts predicting from an authoritative position (join, respawn after a resync). */
  reset(at: Position): void {
    this.predicted.x = at.x;
    this.predicted.y = at.y;
    this.error.x = this.error.y = 0;
    this.pending = [];
    this.initialized = true;
  }

  /** The input frame `seq` was just sent: apply it locally. */
  apply(seq: number, input: I): void {
    if (!this.initialized) return;
    this.pending.push({ seq, input });
    if (this.pending.length > this.maxPending) this.pending.shift();
    this.options.step(this.predicted, input, this.options.dt);
  }

  /**
   * A patch arrived: `server` is the player's authoritative position after input `ack`.
   * Returns the size of the correction (0 when the prediction was right).
   */
  reconcile(ack: number, server: Position): number {
    if (!this.initialized) {
      this.reset(server);
      return 0;
    }
    let drop = 0;
    while (drop < this.pending.length && this.pending[drop]!.seq <= ack) drop++;
    if (drop > 0) this.pending.splice(0, drop);
    const p = this.scratch;
    p.x = server.x;
    p.y = server.y;
    for (const f of this.pending) this.options.step(p, f.input, this.options.dt);
    const dx = this.predicted.x - p.x;
    const dy = this.predicted.y - p.y;
    const distance = Math.hypot(dx, dy);
    this.lastCorrection = distance > this.epsilon ? distance : 0;
    if (distance > this.epsilon) {
      this.corrections++;
      if (distance > this.snapDistance) {
        this.snaps++;
        this.error.x = this.error.y = 0;
      } else {
        // Keep the drawn position where it was; the offset then fades.
        this.error.x += dx;
        this.error.y += dy;
      }
    }
    this.predicted.x = p.x;
    this.predicted.y = p.y;
    return this.lastCorrection;
  }

  /** Fades the visual offset over a frame of `elapsedMs`. */
  decay(elapsedMs: number): void {
    const k = Math.exp(-Math.max(0, elapsedMs) / this.smoothingMs);
    this.error.x *= k;
    this.error.y *= k;
    if (Math.abs(this.error.x) < 0.01 && Math.abs(this.error.y) < 0.01) this.error.x = this.error.y = 0;
  }

  /**
   * Where to draw the player: the prediction plus the fading offset. With `live`, the frame under
   * way (input held now, `fraction` of a frame elapsed since the last one was sent) is previewed
   * too, so a key press shows on the very next rendered frame rather than at the next input frame.
   */
  display(out: Position, live?: { input: I; fraction: number }): Position {
    out.x = this.predicted.x;
    out.y = this.predicted.y;
    if (live && live.fraction > 0) this.options.step(out, live.input, this.options.dt * Math.min(1, live.fraction));
    out.x += this.error.x;
    out.y += this.error.y;
    return out;
  }
}
