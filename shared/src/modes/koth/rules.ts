/**
 * King of the hill's rules as pure functions over numbers and points: the server runs them
 * authoritatively, and a client can run `movePlayer` to predict its own player and `secondsLeft`
 * to show the round timer, with the same results.
 *
 * The game: a circular hill sits somewhere in a square world. A player alone on it earns one point
 * per second held; two or more on it contest it and nobody earns. Players shove each other off.
 * A round ends when someone reaches WIN_POINTS or the round timer runs out (the best score wins;
 * a tie is a draw); the winner is shown during a short intermission, then a new round starts with
 * scores at zero and the hill somewhere else.
 */
import { randomPoint, snapCoord as snapToGrid, walk, type Point } from '../../mode-api/movement';

export const WORLD_SIZE = 1200;
export const MAX_PLAYERS = 8;
export const TICK_RATE = 20;
export const PLAYER_SPEED = 240; // units per second
export const PLAYER_RADIUS = 20;
export const HILL_RADIUS = 150;
/** Closest a hill's centre comes to the world's edge, so spawns clamped to the edge stay off it. */
export const HILL_MARGIN = 200;
export const WIN_POINTS = 30;
export const ROUND_SECONDS = 90;
export const INTERMISSION_SECONDS = 5;
/** A push reaches players whose centre is this close to the pusher's. */
export const PUSH_RADIUS = 70;
export const PUSH_COOLDOWN_SECONDS = 1.5;
/** A pushed player slides this far over KNOCKBACK_SECONDS, unable to steer. */
export const KNOCKBACK_DISTANCE = 180;
export const KNOCKBACK_SECONDS = 0.3;

/** The constants a client or bot needs, as GET /api/modes publishes them (units, seconds). */
export const RULES = {
  worldSize: WORLD_SIZE,
  playerSpeed: PLAYER_SPEED,
  playerRadius: PLAYER_RADIUS,
  hillRadius: HILL_RADIUS,
  winPoints: WIN_POINTS,
  roundSeconds: ROUND_SECONDS,
  intermissionSeconds: INTERMISSION_SECONDS,
  pushRadius: PUSH_RADIUS,
  pushCooldownSeconds: PUSH_COOLDOWN_SECONDS,
  knockbackDistance: KNOCKBACK_DISTANCE,
  knockbackSeconds: KNOCKBACK_SECONDS,
} as const;

export const Phase = {
  /** The hill scores; pushes work. */
  PLAYING: 0,
  /** The round is over: `winner` is shown; players may walk about, nothing scores. */
  INTERMISSION: 1,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export type { Point };

/** Whole ticks in `seconds` at `tickRate` (at least 1). Timers are kept in ticks, never in ms. */
export function ticksOf(seconds: number, tickRate: number): number {
  return Math.max(1, Math.round(seconds * tickRate));
}

/** Seconds until `endsAtTick`, for a timer display (0 once it has passed). */
export function secondsLeft(endsAtTick: number, tick: number, tickRate: number): number {
  return Math.max(0, endsAtTick - tick) / tickRate;
}

/** A coordinate clamped to the world and snapped to the wire grid (as the quantized field stores it). */
export function snapCoord(v: number): number {
  return snapToGrid(v, WORLD_SIZE);
}

/** Moves `p` one step of `dt` seconds along (dx, dy) ∈ {-1, 0, 1}², diagonals normalised. */
export function movePlayer<P extends Point>(p: P, dx: number, dy: number, dt: number): P {
  return walk(p, dx, dy, PLAYER_SPEED, dt, WORLD_SIZE);
}

export function insideHill(x: number, y: number, hillX: number, hillY: number): boolean {
  const dx = x - hillX;
  const dy = y - hillY;
  return dx * dx + dy * dy <= HILL_RADIUS * HILL_RADIUS;
}

/** True if a push at `tick` is allowed after one at `lastPushTick` (0: never pushed). */
export function canPush(lastPushTick: number, tick: number, tickRate: number): boolean {
  return lastPushTick === 0 || tick - lastPushTick >= ticksOf(PUSH_COOLDOWN_SECONDS, tickRate);
}

/** True if `victim` is within reach of a push by `pusher`. */
export function inPushReach(pusher: Point, victim: Point): boolean {
  const dx = victim.x - pusher.x;
  const dy = victim.y - pusher.y;
  return dx * dx + dy * dy <= PUSH_RADIUS * PUSH_RADIUS;
}

/** Unit vector from `from` towards `to`; straight along +x when they coincide. Writes into `out`. */
export function directionAway(from: Point, to: Point, out: Point): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy);
  if (len === 0) {
    out.x = 1;
    out.y = 0;
  } else {
    out.x = dx / len;
    out.y = dy / len;
  }
  return out;
}

/** Distance a pushed player slides each tick of its knockback. */
export function knockbackStep(tickRate: number): number {
  return KNOCKBACK_DISTANCE / ticksOf(KNOCKBACK_SECONDS, tickRate);
}

/** Points for `heldTicks` ticks as the hill's sole occupant: one a second held, capped at WIN_POINTS. */
export function pointsFor(heldTicks: number, tickRate: number): number {
  return Math.min(WIN_POINTS, Math.floor(heldTicks / tickRate));
}

/** A hill centre at least HILL_MARGIN from every edge. */
export function placeHill(random: () => number, out: Point): Point {
  return randomPoint(random, WORLD_SIZE, HILL_MARGIN, out);
}

/**
 * A spawn point 100 to 300 units outside the hill's edge, in a random direction, clamped to the
 * world. Because the hill keeps HILL_MARGIN from the edges, clamping never puts a spawn on it.
 */
export function spawnPoint(random: () => number, hillX: number, hillY: number, out: Point): Point {
  const angle = random() * Math.PI * 2;
  const distance = HILL_RADIUS + 100 + random() * 200;
  out.x = snapCoord(Math.min(WORLD_SIZE - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, hillX + Math.cos(angle) * distance)));
  out.y = snapCoord(Math.min(WORLD_SIZE - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, hillY + Math.sin(angle) * distance)));
  return out;
}

/** The player with the strictly highest score above zero, or undefined on a tie or when nobody scored. */
export function leaderOf<P extends { score: number }>(players: Iterable<P>): P | undefined {
  let best: P | undefined;
  let tied = false;
  for (const p of players) {
    if (p.score <= 0) continue;
    if (!best || p.score > best.score) {
      best = p;
      tied = false;
    } else if (p.score === best.score) {
      tied = true;
    }
  }
  return tied ? undefined : best;
}
