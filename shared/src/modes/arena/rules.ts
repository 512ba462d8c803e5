/**
 * Arena's rules as pure functions (../shared/handbook/WORKLOAD.md is the specification).
 * The server runs them authoritatively; the client runs `movePlayer` to predict its own player and
 * `projectileAt` to draw projectiles, with the same numbers, so both agree to the bit.
 */

import { randomPoint, snapCoord as snapToGrid, walk, type Point } from '../../mode-api/movement';

export const WORLD_SIZE = 2000;
export const MAX_PLAYERS = 16;
export const TICK_RATE = 30;
export const PLAYER_SPEED = 200; // units per second
export const MAX_HP = 100;
export const FIRE_COOLDOWN_MS = 250;
export const PROJECTILE_SPEED = 600; // units per second
export const PROJECTILE_LIFETIME_TICKS = TICK_RATE; // 1 s
export const HIT_RADIUS = 16;
export const HIT_DAMAGE = 10;

/**
 * Positions travel as 16-bit fixed point in steps of 1/30 unit: 65535 steps span 2184.5 units,
 * which covers the 2000-unit world. At 200 units/s and 30 Hz a straight step is exactly 200 grid
 * steps, so snapping to the wire grid never changes a player's speed (a diagonal step, 141.42 grid
 * steps, rounds to 141: 0.3% slower, never faster).
 */
export const COORD_MAX = 65535 / 30;
/** The constants a client or bot needs, as GET /api/modes publishes them (units, seconds, ms, ticks). */
export const RULES = {
  worldSize: WORLD_SIZE,
  /** The coordinate grid: 16-bit steps of coordMax / 65535 = 1/30 unit. */
  coordMax: COORD_MAX,
  playerSpeed: PLAYER_SPEED,
  maxHp: MAX_HP,
  fireCooldownMs: FIRE_COOLDOWN_MS,
  projectileSpeed: PROJECTILE_SPEED,
  projectileLifetimeTicks: PROJECTILE_LIFETIME_TICKS,
  hitRadius: HIT_RADIUS,
  hitDamage: HIT_DAMAGE,
} as const;

const TWO_PI = Math.PI * 2;
const ANGLE_SPAN = 65536; // 16-bit wrapping angle

/** A coordinate clamped to the world and snapped to the wire grid (what the state field stores). */
export function snapCoord(v: number): number {
  return snapToGrid(v, WORLD_SIZE, COORD_MAX);
}

/** An angle as a 16-bit wrapping field carries it, in [0, 2π). */
export function snapAngle(a: number): number {
  if (!Number.isFinite(a)) return 0;
  let r = a % TWO_PI;
  if (r < 0) r += TWO_PI;
  const q = Math.floor((r / TWO_PI) * ANGLE_SPAN + 0.5) % ANGLE_SPAN;
  return (q / ANGLE_SPAN) * TWO_PI;
}

export type { Point };

/**
 * Moves `p` one step of `dt` seconds along (dx, dy) ∈ {-1, 0, 1}², diagonals normalised, clamped to
 * the world and snapped to the wire grid. Mutates and returns `p` (no allocation on the hot path).
 */
export function movePlayer<P extends Point>(p: P, dx: number, dy: number, dt: number): P {
  return walk(p, dx, dy, PLAYER_SPEED, dt, WORLD_SIZE, COORD_MAX);
}

export function canFire(lastShotMs: number, nowMs: number): boolean {
  return nowMs - lastShotMs >= FIRE_COOLDOWN_MS;
}

/** Where a projectile is `ageTicks` after it spawned. Writes into `out`. */
export function projectileAt(sx: number, sy: number, angle: number, ageTicks: number, tickRate: number, out: Point): Point {
  const d = (PROJECTILE_SPEED * ageTicks) / tickRate;
  out.x = sx + Math.cos(angle) * d;
  out.y = sy + Math.sin(angle) * d;
  return out;
}

export function insideWorld(x: number, y: number): boolean {
  return x >= 0 && x <= WORLD_SIZE && y >= 0 && y <= WORLD_SIZE;
}

/**
 * Parameter t in [0, 1] of the first point of segment a→b within `radius` of c, or -1 if none.
 * Used so a fast projectile (20 units a tick) cannot tunnel through a 16-unit player.
 */
export function segmentHit(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, radius: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const fx = ax - cx;
  const fy = ay - cy;
  const r2 = radius * radius;
  const c = fx * fx + fy * fy - r2;
  if (c <= 0) return 0; // starts inside
  const a = dx * dx + dy * dy;
  if (a === 0) return -1;
  const b = 2 * (fx * dx + fy * dy);
  const disc = b * b - 4 * a * c;
  if (disc < 0) return -1;
  const t = (-b - Math.sqrt(disc)) / (2 * a);
  return t >= 0 && t <= 1 ? t : -1;
}

export function randomSpawn(random: () => number, out: Point): Point {
  return randomPoint(random, WORLD_SIZE, 0, out, COORD_MAX);
}

/** `dir` of a player standing still. */
export const STILL = 4;
/**
 * A segment is started again (from where the player is) after this many steps, so a client never
 * walks more than this to find a position, and a long walk into a wall does not grow its cost.
 */
export const SEGMENT_MAX_STEPS = 90;
/**
 * A moving player from whom no input was applied for this many ticks (dropped, held for
 * reconnection, or lagging) is given a standing segment where it is: otherwise its `since` would
 * move, and cost bytes, every tick it does not walk. A shorter gap (jitter) only moves `since`.
 */
export const IDLE_TICKS_TO_STAND = 3;
/** The aim a player shows is sent at most this often (10 times a second at 30 Hz). */
export const AIM_EVERY_TICKS = 3;

/** The segment direction of input (dx, dy) ∈ {-1, 0, 1}²: 0..8, STILL for (0, 0). */
export function directionIndex(dx: number, dy: number): number {
  return (dy + 1) * 3 + (dx + 1);
}

/**
 * Where a player is `steps` ticks along the segment from (sx, sy) in direction `dir`, in arena's
 * world or another (`size`, `coordMax`): the same `walk` the server ran, step by step, so it lands on the server's value to the bit.
 */
export function segmentPosition(sx: number, sy: number, dir: number, steps: number, tickRate: number, out: Point, size = WORLD_SIZE, coordMax = COORD_MAX): Point {
  out.x = sx;
  out.y = sy;
  if (dir === STILL) return out;
  const dx = (dir % 3) - 1;
  const dy = Math.floor(dir / 3) - 1;
  const dt = 1 / tickRate;
  for (let i = 0; i < steps; i++) walk(out, dx, dy, PLAYER_SPEED, dt, size, coordMax);
  return out;
}

/** Steps along its segment a player is at `tick` (`since` is the tick mod 65536). */
export function segmentSteps(since: number, tick: number): number {
  return (tick - since) & 0xffff;
}

/** An angle as an 8-bit wrapping field carries it (0..255): what decides whether aim is resent. */
export function aimStep(a: number): number {
  const r = ((a % TWO_PI) + TWO_PI) % TWO_PI;
  return Math.round((r / TWO_PI) * 256) & 255;
}
