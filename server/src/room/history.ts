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

/**
 * The positions recorded after one tick, in flat columns (`count` entries), with `index` from an id
 * to its entry so a lookup never scans: `positionAt` runs for every projectile near every player
 * every tick. The columns grow by doubling and are refilled in place; `index` is overwritten, not
 * cleared (an id's old entry is recognised as stale by `ids[i] !== id`), and rebuilt only when ids
 * that left outnumber the live ones: once warm, recording allocates nothing.
 */
class Slot {
  tick = -1;
  count = 0;
  ids = new Float64Array(16);
  xs = new Float64Array(16);
  ys = new Float64Array(16);
  readonly index = new Map<number, number>();

  add(id: number, x: number, y: number): void {
    const i = this.count++;
    if (i === this.ids.length) this.grow();
    this.ids[i] = id;
    this.xs[i] = x;
    this.ys[i] = y;
    if (this.index.get(id) !== i) this.index.set(id, i);
  }

  /** Drops the index entries of ids that were not recorded this time, when they are the majority. */
  seal(): void {
    if (this.index.size <= 2 * this.count + 16) return;
    this.index.clear();
    for (let i = 0; i < this.count; i++) this.index.set(this.ids[i]!, i);
  }

  /** The entry of `id`, or -1. */
  find(id: number): number {
    const i = this.index.get(id);
    return i !== undefined && i < this.count && this.ids[i] === id ? i : -1;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const widen = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.ids = widen(this.ids);
    this.xs = widen(this.xs);
    this.ys = widen(this.ys);
  }
}

export class History implements PositionHistory {
  readonly maxRewindTicks: number;
  private readonly slots: Slot[];
  private newest = -1;
  private filling: Slot | undefined;
  /** Bound once: recording allocates nothing per tick. */
  private readonly recorder = (id: number, x: number, y: number): void => this.filling!.add(id, x, y);

  /** `maxRewindTicks` is clamped to one second of ticks. */
  constructor(maxRewindTicks: number, tickRate: number) {
    this.maxRewindTicks = Math.max(0, Math.min(maxRewindTicks, tickRate));
    const n = Math.min(Math.ceil(this.maxRewindTicks) + 2, tickRate);
    this.slots = Array.from({ length: n }, () => new Slot());
  }

  /** Records the positions sent after `tick`: `source.positions` calls `record` once per entity. */
  record<S>(tick: number, source: { positions(state: S, record: (id: number, x: number, y: number) => void): void }, state: S): void {
    if (this.maxRewindTicks === 0) return;
    const slot = this.slots[tick % this.slots.length]!;
    slot.tick = tick;
    slot.count = 0;
    this.filling = slot;
    source.positions(state, this.recorder);
    this.filling = undefined;
    slot.seal();
    this.newest = tick;
  }

  positionAt(id: number, viewTick: number, currentTick: number, out: Point): Point | undefined {
    if (this.maxRewindTicks === 0 || this.newest < 0) return undefined;
    let t = Math.max(viewTick, currentTick - this.maxRewindTicks);
    if (t > this.newest) t = this.newest;
    const a = Math.floor(t);
    const from = this.slotOf(a);
    const i = from ? from.find(id) : -1;
    if (i < 0) return undefined;
    out.x = from!.xs[i]!;
    out.y = from!.ys[i]!;
    const alpha = t - a;
    const to = alpha > 0 ? this.slotOf(a + 1) : undefined;
    const j = to ? to.find(id) : -1;
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
