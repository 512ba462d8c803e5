/**
 * A uniform grid over the world, rebuilt every tick from the entities' positions: the spatial index
 * of the engine's interest manager (server/src/room/interest.ts) and of a mode's broad phase (arena's
 * hit scan, ../modes/arena/shooter.ts), so it lives on the mode API's side of the boundary. Rebuilding is O(entities) with no allocation once the arrays have
 * grown (each cell is a linked list threaded through flat arrays), and a rectangle query visits
 * only the cells it overlaps, so finding what enters a view costs what is near it, not the room.
 * Positions outside the grid are clamped into its edge cells: nothing is ever unindexed.
 */
export class SpatialGrid<T> {
  readonly cols: number;
  readonly rows: number;
  private readonly heads: Int32Array;
  private next = new Int32Array(64);
  private xs = new Float64Array(64);
  private ys = new Float64Array(64);
  private items: (T | undefined)[] = [];
  private count = 0;

  constructor(
    width: number,
    height: number,
    readonly cellSize: number,
  ) {
    this.cols = Math.max(1, Math.ceil(width / cellSize));
    this.rows = Math.max(1, Math.ceil(height / cellSize));
    this.heads = new Int32Array(this.cols * this.rows).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  /** Empties the grid (keeps its memory). */
  clear(): void {
    this.heads.fill(-1);
    for (let i = 0; i < this.count; i++) this.items[i] = undefined; // hold no entity between ticks
    this.count = 0;
  }

  /** Indexes `item` at (x, y); returns its slot, valid until `clear` (see xAt, yAt). */
  insert(item: T, x: number, y: number): number {
    const i = this.count++;
    if (i === this.next.length) this.grow();
    const cell = this.cellOf(x, y);
    this.items[i] = item;
    this.xs[i] = x;
    this.ys[i] = y;
    this.next[i] = this.heads[cell]!;
    this.heads[cell] = i;
    return i;
  }

  xAt(slot: number): number {
    return this.xs[slot]!;
  }

  yAt(slot: number): number {
    return this.ys[slot]!;
  }

  /** Calls `visit` for every item inside [x0, x1] × [y0, y1] (edges included). */
  query(x0: number, y0: number, x1: number, y1: number, visit: (item: T) => void): void {
    const c0 = this.col(x0);
    const c1 = this.col(x1);
    const r0 = this.row(y0);
    const r1 = this.row(y1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        for (let i = this.heads[r * this.cols + c]!; i !== -1; i = this.next[i]!) {
          const x = this.xs[i]!;
          const y = this.ys[i]!;
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) visit(this.items[i]!);
        }
      }
    }
  }

  private col(x: number): number {
    const c = Math.floor(x / this.cellSize);
    return c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c;
  }

  private row(y: number): number {
    const r = Math.floor(y / this.cellSize);
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r;
  }

  private cellOf(x: number, y: number): number {
    return this.row(y) * this.cols + this.col(x);
  }

  private grow(): void {
    const n = this.next.length * 2;
    const next = new Int32Array(n);
    next.set(this.next);
    const xs = new Float64Array(n);
    xs.set(this.xs);
    const ys = new Float64Array(n);
    ys.set(this.ys);
    this.next = next;
    this.xs = xs;
    this.ys = ys;
  }
}
