/**
 * How smooth movement is, counted by the client itself (the browser tests read it through the test
 * hook; issue 11 measured the hitches with these same definitions):
 * - from the patches, per player: **stand-still ticks** (the server did not move a player for one
 *   tick between ticks where it did: an input came late) and **double steps** (a tick moved it more
 *   than 1.5 times its usual step: two inputs in one tick);
 * - from the rendered frames, per remote player: **freeze frames** (the sprite did not move from
 *   one frame to the next although the server moved that player within the last 8 ticks) and
 *   **snaps** (the sprite jumped more than twice as far as the player's top speed allows in that
 *   frame's time, plus a unit).
 * Counting starts at `reset()`, so a test measures a window of its choosing.
 *
 * Machine stalls are told apart: a rendered frame that took over 50 ms (the page's main thread was
 * blocked), a patch gap over four ticks or a jump in tick numbers (the server's loop was blocked and
 * skipped ticks) marks the next 400 ms (1 s after a server stall: its catch-up) as "after a stall",
 * and what happens then is counted in the `…AfterStall` figures too. On a quiet machine they are 0;
 * on a shared one they say which hitches were the machine's rather than the netcode's.
 */
export interface MotionFigures {
  /** Per player id: ticks it stood still between moving ticks, and ticks it stepped twice. */
  server: Record<number, { standStill: number; doubleSteps: number; ticks: number; standStillAfterStall: number; doubleStepsAfterStall: number }>;
  /** Per remote player id: frames drawn without movement while it moves, and jumps. */
  drawn: Record<number, { freezeFrames: number; snaps: number; frames: number; freezeFramesAfterStall: number; snapsAfterStall: number }>;
  /** Machine stalls seen (long frames, patch gaps, skipped ticks). */
  stalls: number;
  events: MotionCounters['events'];
}

interface ServerTrack {
  tick: number;
  x: number;
  y: number;
  /** Step lengths of the last two ticks (0 = still). */
  prev: number;
  prevPrev: number;
  /** The usual step: largest recent nonzero step, decaying. */
  usual: number;
  /** Top step seen, for the snap bound. */
  top: number;
  lastMovedTick: number;
  standStill: number;
  doubleSteps: number;
  ticks: number;
  standStillAfterStall: number;
  doubleStepsAfterStall: number;
}

interface DrawnTrack {
  x: number;
  y: number;
  t: number;
  freezeFrames: number;
  snaps: number;
  frames: number;
  freezeFramesAfterStall: number;
  snapsAfterStall: number;
}

export class MotionCounters {
  private readonly server = new Map<number, ServerTrack>();
  private readonly drawn = new Map<number, DrawnTrack>();
  private newestTick = 0;
  private lastPatchAt = -Infinity;
  private lastFrameAt = -Infinity;
  private stallUntil = -Infinity;
  private stalls = 0;
  /** The last freezes and snaps, to see what they were. */
  readonly events: Array<{ kind: 'freeze' | 'snap'; id: number; t: number; moved: number; frameMs: number; topStep: number }> = [];

  constructor(private readonly tickMs: number) {}

  private stalled(now: number, forMs: number): void {
    if (now >= this.stallUntil) this.stalls++;
    this.stallUntil = Math.max(this.stallUntil, now + forMs);
  }

  /** The server's positions after `tick`, received at client time `now`. */
  patch(tick: number, players: Iterable<{ id: number; x: number; y: number }>, now: number): void {
    if (now - this.lastPatchAt > 4 * this.tickMs || (this.newestTick > 0 && tick > this.newestTick + 1)) this.stalled(now, 1000);
    this.lastPatchAt = now;
    this.newestTick = tick;
    const afterStall = now < this.stallUntil;
    for (const p of players) {
      const s = this.server.get(p.id);
      if (!s || tick !== s.tick + 1) {
        this.server.set(p.id, {
          tick,
          x: p.x,
          y: p.y,
          prev: -1,
          prevPrev: -1,
          usual: 0,
          top: s?.top ?? 0,
          lastMovedTick: s?.lastMovedTick ?? -Infinity,
          standStill: s?.standStill ?? 0,
          doubleSteps: s?.doubleSteps ?? 0,
          ticks: s?.ticks ?? 0,
          standStillAfterStall: s?.standStillAfterStall ?? 0,
          doubleStepsAfterStall: s?.doubleStepsAfterStall ?? 0,
        });
        continue;
      }
      const step = Math.hypot(p.x - s.x, p.y - s.y);
      s.ticks++;
      // moving, still, moving: one tick without its input
      if (step > 0 && s.prev === 0 && s.prevPrev > 0) {
        s.standStill++;
        if (afterStall) s.standStillAfterStall++;
      }
      if (step > 0) {
        const double = s.usual > 0 && step > 1.5 * s.usual;
        if (double && step < 4 * s.usual) {
          s.doubleSteps++; // beyond 4 steps: a respawn, not a step
          if (afterStall) s.doubleStepsAfterStall++;
        }
        if (!double) {
          s.usual = Math.max(step, s.usual * 0.9);
          s.top = Math.max(s.top, step);
        }
        s.lastMovedTick = tick;
      }
      s.prevPrev = s.prev;
      s.prev = step;
      s.tick = tick;
      s.x = p.x;
      s.y = p.y;
    }
  }

  /** One rendered frame at `now` with the drawn positions of remote players. */
  frame(now: number, players: Iterable<{ id: number; x: number; y: number; self: boolean }>): void {
    if (now - this.lastFrameAt > 50) this.stalled(now, 400);
    this.lastFrameAt = now;
    const afterStall = now < this.stallUntil;
    for (const p of players) {
      if (p.self) continue;
      const d = this.drawn.get(p.id);
      if (!d) {
        this.drawn.set(p.id, { x: p.x, y: p.y, t: now, freezeFrames: 0, snaps: 0, frames: 0, freezeFramesAfterStall: 0, snapsAfterStall: 0 });
        continue;
      }
      const moved = Math.hypot(p.x - d.x, p.y - d.y);
      const s = this.server.get(p.id);
      const moving = s !== undefined && this.newestTick - s.lastMovedTick <= 8;
      d.frames++;
      if (moving && moved < 0.01) {
        d.freezeFrames++;
        if (afterStall) d.freezeFramesAfterStall++;
        this.events.push({ kind: 'freeze', id: p.id, t: now, moved, frameMs: now - d.t, topStep: s.top });
        if (this.events.length > 20) this.events.shift();
      }
      const topPerMs = s ? s.top / this.tickMs : 0;
      if (s && s.top > 0 && moved > 2 * topPerMs * (now - d.t) + 1) {
        d.snaps++;
        if (afterStall) d.snapsAfterStall++;
        this.events.push({ kind: 'snap', id: p.id, t: now, moved, frameMs: now - d.t, topStep: s.top });
        if (this.events.length > 20) this.events.shift();
      }
      d.x = p.x;
      d.y = p.y;
      d.t = now;
    }
  }

  /** Starts a new measuring window. */
  reset(): void {
    for (const s of this.server.values()) s.standStill = s.doubleSteps = s.ticks = s.standStillAfterStall = s.doubleStepsAfterStall = 0;
    for (const d of this.drawn.values()) d.freezeFrames = d.snaps = d.frames = d.freezeFramesAfterStall = d.snapsAfterStall = 0;
    this.stalls = 0;
    this.events.length = 0;
  }

  figures(): MotionFigures {
    const out: MotionFigures = { server: {}, drawn: {}, stalls: this.stalls, events: [...this.events] };
    for (const [id, s] of this.server) {
      out.server[id] = {
        standStill: s.standStill,
        doubleSteps: s.doubleSteps,
        ticks: s.ticks,
        standStillAfterStall: s.standStillAfterStall,
        doubleStepsAfterStall: s.doubleStepsAfterStall,
      };
    }
    for (const [id, d] of this.drawn) {
      out.drawn[id] = { freezeFrames: d.freezeFrames, snaps: d.snaps, frames: d.frames, freezeFramesAfterStall: d.freezeFramesAfterStall, snapsAfterStall: d.snapsAfterStall };
    }
    return out;
  }
}
