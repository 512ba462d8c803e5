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

/**
 * A schema field for one coordinate of a world `size` units wide: 2 bytes, steps of gridMax/65535.
 * `gridMax` (default `size`, at least `size`) lets a mode pick a grid its speeds fit exactly, as
 * arena does with 1/30-unit steps.
 */
export const coordField = (size: number, gridMax = size) => t.quantized({ min: 0, max: Math.max(size, gridMax), bits: 16 });

/** `v` clamped to [0, size] and snapped to the grid of `coordField(size, gridMax)` (what the field stores). */
export function snapCoord(v: number, size: number, gridMax = size): number {
  const c = v < 0 ? 0 : v > size ? size : v;
  return (Math.floor((c / gridMax) * STEPS + 0.5) / STEPS) * gridMax;
}

const INV_SQRT2 = Math.SQRT1_2;

/**
 * Moves `p` one step of `dt` seconds at `speed` units a second along (dx, dy) ∈ {-1, 0, 1}²,
 * diagonals normalised (no faster diagonals), clamped to the world and snapped to the wire grid.
 * Mutates and returns `p`: no allocation on the hot path.
 */
export function walk<P extends Point>(p: P, dx: number, dy: number, speed: number, dt: number, size: number, gridMax = size): P {
  if (dx === 0 && dy === 0) return p;
  const step = dx !== 0 && dy !== 0 ? speed * dt * INV_SQRT2 : speed * dt;
  p.x = snapCoord(p.x + dx * step, size, gridMax);
  p.y = snapCoord(p.y + dy * step, size, gridMax);
  return p;
}

/** A seeded random point at least `margin` from every edge. Writes into `out`. */
export function randomPoint(random: () => number, size: number, margin: number, out: Point, gridMax = size): Point {
  out.x = snapCoord(margin + random() * (size - 2 * margin), size, gridMax);
  out.y = snapCoord(margin + random() * (size - 2 * margin), size, gridMax);
  return out;
}
