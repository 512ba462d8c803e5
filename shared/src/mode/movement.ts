/**
 * The movement most modes start from: a point walking a square world whose coordinates travel as
 * 16-bit quantized fields (`coordField(size)`). The server and a predicting client run the same
 * functions, so both land on the same wire-grid value to the bit.
 */
import { t } from '@colyseus/schema';

export interface Point {
  x: number;
  y: number;
}

const STEPS = 65535; // a clamped 16-bit quantized field: 2^16 - 1 steps from min to max

/** A schema field for one coordinate of a world `size` units wide: 2 bytes, steps of size/65535. */
export const coordField = (size: number) => t.quantized({ min: 0, max: size, bits: 16 });

/** `v` clamped to [0, size] and snapped to the grid of `coordField(size)` (what the field stores). */
export function snapCoord(v: number, size: number): number {
  const c = v < 0 ? 0 : v > size ? size : v;
  return (Math.floor((c / size) * STEPS + 0.5) / STEPS) * size;
}

const INV_SQRT2 = Math.SQRT1_2;

/**
 * Moves `p` one step of `dt` seconds at `speed` units a second along (dx, dy) ∈ {-1, 0, 1}²,
 * diagonals normalised (no faster diagonals), clamped to the world and snapped to the wire grid.
 * Mutates and returns `p`: no allocation on the hot path.
 */
export function walk<P extends Point>(p: P, dx: number, dy: number, speed: number, dt: number, size: number): P {
  if (dx === 0 && dy === 0) return p;
  const step = dx !== 0 && dy !== 0 ? speed * dt * INV_SQRT2 : speed * dt;
  p.x = snapCoord(p.x + dx * step, size);
  p.y = snapCoord(p.y + dy * step, size);
  return p;
}

/** A seeded random point at least `margin` from every edge. Writes into `out`. */
export function randomPoint(random: () => number, size: number, margin: number, out: Point): Point {
  out.x = snapCoord(margin + random() * (size - 2 * margin), size);
  out.y = snapCoord(margin + random() * (size - 2 * margin), size);
  return out;
}
