/**
 * Interest management, the mode's side: a mode with a big world declares which of its entities
 * are spatial and where each player looks, and the engine (server/src/room/interest.ts) decides
 * each tick what each client receives. The mode never adds or removes anything from a client's
 * view by hand, as Colyseus's StateView asks a game to: it declares, the engine does the rest.
 *
 * A spatial collection is a `t.map(...).view()` field of the state whose values have `x` and `y`:
 * its entries reach a client only while they are in that client's view. Everything else in the
 * state (not `.view()`) is sent to every client, encoded once a tick as without interest.
 * docs/game-modes.md ("Big worlds: interest") is the guide, with what it costs.
 */
import type { Point } from './movement';
import type { ModePlayer } from './define-mode';

/** A spatial collection as the engine reads it: a `t.map(...).view()` of entities with x and y. */
export interface SpatialCollection {
  forEach(visit: (entity: Point, key: string) => void): void;
}

/**
 * A spatial collection whose entities' state is not where they are now: `at` writes an entity's
 * position at `tick` (a projectile that stores its spawn point and computes its flight).
 */
export interface MovingCollection<E = never> {
  readonly of: { forEach(visit: (entity: E, key: string) => void): void };
  at(entity: E, tick: number, out: Point): void;
}

export interface ModeInterest<S> {
  /**
   * The spatial collections of `state`: maps declared `.view()` in the schema whose values carry
   * `x` and `y` in world units, placed where `x` and `y` say, or a `MovingCollection` whose
   * `at` says where an entity is at a tick. Called once, when the room is created (the maps must
   * live for the room's lifetime).
   */
  spatial(state: S): ReadonlyArray<SpatialCollection | MovingCollection<any>>;
  /**
   * Where `player` looks this tick: the centre of their view rectangle, written into `out`, or
   * false while they have no place in the world (then they see only the non-spatial state).
   */
  viewCentre(state: S, player: ModePlayer, out: Point): boolean;
  /** The view rectangle around the centre, in world units (a screen's worth: 1920 × 1080). */
  readonly viewWidth: number;
  readonly viewHeight: number;
  /**
   * Hysteresis: an entity enters a view when it is inside the rectangle, and leaves only once it
   * is more than `margin` units outside it, so one that moves along the edge does not flicker in
   * and out. Default: 10% of the larger view side.
   */
  readonly margin?: number;
  /** Side of a cell of the engine's spatial grid. Default: half the smaller view side. */
  readonly cellSize?: number;
}

/** Checks an interest declaration (from defineMode); returns why it is wrong, or undefined. */
export function interestProblem(interest: ModeInterest<unknown>): string | undefined {
  if (typeof interest.spatial !== 'function' || typeof interest.viewCentre !== 'function') {
    return 'interest needs spatial(state) and viewCentre(state, player, out) functions';
  }
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (!positive(interest.viewWidth) || !positive(interest.viewHeight)) return 'interest.viewWidth and viewHeight must be finite and positive';
  if (interest.margin !== undefined && !(positive(interest.margin) || interest.margin === 0)) return 'interest.margin must be finite and ≥ 0';
  if (interest.cellSize !== undefined && !positive(interest.cellSize)) return 'interest.cellSize must be finite and positive';
  return undefined;
}
