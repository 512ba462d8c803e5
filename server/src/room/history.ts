/**
 * The engine's memory of what it sent, for lag compensation (Source's and Fusion's "favor the
 * shooter"): after every tick, the positions the mode reports (`lagCompensation.positions`) go into
 * a ring of `maxRewindTicks + 2` ticks — never more than a second. `positionAt` answers where an
 * entity was at a fractional tick, interpolated the way a client interpolates (between the states
 * after two consecutive ticks), with the rewind clamped to the bound: a claimed view older than
 * the bound reads as the bound, so nobody can hit with an arbitrary past.
 *
 * It is a function of the past states only, so a mode that uses it stays a pure function of its
 * seed and its inputs (the view ticks travel in the inputs).
 */
import type { Point, PositionHistory } from '@tickforge/shared';

interface Slot {
  tick: number;
  ids: number[];
  xs: number[];
  ys: number[];
}

export class History implements PositionHistory {
  readonly maxRewindTicks: number;
  private readonly slots: Slot[];
  private newest = -1;
  private filling: Slot | undefined;
  /** Bound once: recording allocates nothing per tick. */
  private readonly recorder = (id: number, x: number, y: number): void => {
    const slot = this.filling!;
    slot.ids.push(id);
    slot.xs.push(x);
    slot.ys.push(y);
  };

  /** `maxRewindTicks` is clamped to one second of ticks. */
  constructor(maxRewindTicks: number, tickRate: number) {
    this.maxRewindTicks = Math.max(0, Math.min(maxRewindTicks, tickRate));
    const n = Math.min(Math.ceil(this.maxRewindTicks) + 2, tickRate);
    this.slots = Array.from({ length: n }, () => ({ tick: -1, ids: [], xs: [], ys: [] }));
  }

  /** Records the positions sent after `tick`: `source.positions` calls `record` once per entity. */
  record<S>(tick: number, source: { positions(state: S, record: (id: number, x: number, y: number) => void): void }, state: S): void {
    if (this.maxRewindTicks === 0) return;
    const slot = this.slots[tick % this.slots.length]!;
    slot.tick = tick;
    slot.ids.length = slot.xs.length = slot.ys.length = 0;
    this.filling = slot;
    source.positions(state, this.recorder);
    this.filling = undefined;
    this.newest = tick;
  }

  positionAt(id: number, viewTick: number, currentTick: number, out: Point): Point | undefined {
    if (this.maxRewindTicks === 0 || this.newest < 0) return undefined;
    let t = Math.max(viewTick, currentTick - this.maxRewindTicks);
    if (t > this.newest) t = this.newest;
    const a = Math.floor(t);
    const from = this.slotOf(a);
    const i = from ? from.ids.indexOf(id) : -1;
    if (i < 0) return undefined;
    out.x = from!.xs[i]!;
    out.y = from!.ys[i]!;
    const alpha = t - a;
    const to = alpha > 0 ? this.slotOf(a + 1) : undefined;
    const j = to ? to.ids.indexOf(id) : -1;
    if (j >= 0) {
      out.x += (to!.xs[j]! - out.x) * alpha;
      out.y += (to!.ys[j]! - out.y) * alpha;
    }
    return out;
  }

  private slotOf(tick: number): Slot | undefined {
    const slot = this.slots[tick % this.slots.length]!;
    return slot.tick === tick ? slot : undefined;
  }
}
