/**
 * Arena's rules as hooks over any world size: arena plays them in its 2000-unit world, bigworld
 * (../bigworld) in an 8000-unit one. The numbers (speed, cooldown, projectile speed and reach,
 * damage) are arena's, from ./rules.ts; only the world's size and wire grid differ. One set of
 * rules, so both modes send motion segments (./state.ts says what they cost) and hit the same way.
 * The hot path allocates nothing per entity (scratch points and the grid are per rules instance).
 *
 * Favor the shooter: a shot is tested against the players where its shooter saw them. The shooter
 * draws other players `rewind` ticks in the past (its interpolation view, sent in every input as
 * the view tick) and its own shot on its own timeline from the click, so on its screen the shot at
 * age a meets the others as they were `rewind` ticks before tick spawn + a. The server does the
 * same, through the engine's history (`ctx.positionAt`, fed by `shooterLagCompensation`), within
 * the engine's rewind bound (250 ms by default). The price is the victim's: they can be hit up to
 * that long after reaching cover.
 *
 * Never past a respawn (as Source's lag compensation never rewinds a player past a teleport): a
 * player who respawned inside a shot's rewind window is tested where they were at or after their
 * respawn (`spawnTick`, server-only), never at the place they died; one who respawned this very
 * tick is tested where they are now.
 *
 * The broad phase: each tick the players' current positions go into a uniform grid once, and a
 * shot is tested only against those within HIT_RADIUS + (the distance a player walks in the shot's
 * rewind + 1 tick) of its segment's bounding box. A walking player moves at most one step a tick,
 * so that is exact; a player who took more than one step in a tick (the engine's catch-up after a
 * stall applies up to three) is tested by every shot until the rewind window has passed since
 * (`catchUpUntil`), and so is one who respawned during this tick's scan. The result is the scan
 * over every player, to the bit: the first player along the segment, ties to the first in the
 * players' order.
 */
import type { MapSchema } from '@colyseus/schema';
import type { ModeContext, ModePlayer, PlayerInput } from '../../mode-api/define-mode';
import { randomPoint, snapCoord, walk, type Point } from '../../mode-api/movement';
import { SpatialGrid } from '../../mode-api/spatial-grid';
import type { ArenaEvent } from './events';
import type { ArenaInput } from './input';
import {
  AIM_EVERY_TICKS,
  HIT_DAMAGE,
  HIT_RADIUS,
  IDLE_TICKS_TO_STAND,
  MAX_HP,
  PLAYER_SPEED,
  PROJECTILE_LIFETIME_TICKS,
  SEGMENT_MAX_STEPS,
  STILL,
  aimStep,
  canFire,
  directionIndex,
  projectileAt,
  segmentHit,
  segmentPosition,
  segmentSteps,
  snapAngle,
} from './rules';

/** The world the rules play in: `size` units square, positions on the grid of coordField(size, coordMax). */
export interface ShooterWorld {
  readonly size: number;
  readonly coordMax: number;
}

/** A player as the rules keep it: the sent fields (a motion segment, aim, hp, score) and server-side bookkeeping. */
export interface ShooterPlayer extends Point {
  id: number;
  name: string;
  /** The motion segment (./state.ts): start point, direction, the tick it would have started at. */
  sx: number;
  sy: number;
  dir: number;
  since: number;
  aim: number;
  hp: number;
  score: number;
  lastShotMs: number;
  /** Steps walked along the current segment. */
  steps: number;
  /** Tick of the last input applied. */
  inputTick: number;
  /** The aim of the last input, sent at the aim's own cadence. */
  aimNow: number;
  /** Tick of the last (re)spawn: lag compensation never rewinds this player before it. */
  spawnTick: number;
  /** Until this tick the player may have moved more than a step a tick (catch-up): every shot tests it. */
  catchUpUntil: number;
}

export interface ShooterProjectile extends Point {
  owner: number;
  angle: number;
  spawnTick: number;
  /** Ticks the shooter's view lagged the server when firing (server-side, for lag compensation). */
  rewind: number;
}

export interface ShooterState<P extends ShooterPlayer, J extends ShooterProjectile> {
  players: MapSchema<P>;
  projectiles: MapSchema<J>;
  nextProjectileId: number;
}

export interface ShooterRules<S> {
  join(state: S, player: ModePlayer, ctx: ModeContext<ArenaEvent>): void;
  leave(state: S, player: ModePlayer): void;
  tick(state: S, inputs: ReadonlyArray<PlayerInput<ArenaInput>>, ctx: ModeContext<ArenaEvent>): void;
  /** Client side: each player's x and y from its segment (the mode's `materialize`). */
  materialize(state: S, tick: number, tickRate: number): void;
}

/** Side of a cell of the hit scan's grid: a shot's query box is about 60-170 units wide. */
const HIT_CELL = 128;

/**
 * Arena's join, leave, tick and materialize over `world`, building state objects with `make`.
 * `fullScan` tests every shot against every player: the reference the broad phase is tested against
 * (./hit-scan.test.ts), not for play.
 */
export function shooterRules<P extends ShooterPlayer, J extends ShooterProjectile, S extends ShooterState<P, J>>(
  world: ShooterWorld,
  make: { player(): P; projectile(): J },
  fullScan = false,
): ShooterRules<S> {
  const { size, coordMax } = world;
  // Scratch reused every tick.
  const from: Point = { x: 0, y: 0 };
  const to: Point = { x: 0, y: 0 };
  const spawnAt: Point = { x: 0, y: 0 };
  const seen: Point = { x: 0, y: 0 };
  const at: Point = { x: 0, y: 0 };
  const removed: string[] = [];
  /** This tick's players, in the players' order; the grid and `always` hold indices into it. */
  const targets: P[] = [];
  /** Players every shot tests this tick (catching up, or respawned during the scan). */
  const always: number[] = [];
  const grid = new SpatialGrid<number>(size, size, HIT_CELL);
  const inside = (x: number, y: number) => x >= 0 && x <= size && y >= 0 && y <= size;
  const spawn = (random: () => number) => randomPoint(random, size, 0, spawnAt, coordMax);

  // The shot being scanned, for `consider` (a bound callback, so the grid query allocates nothing).
  let shotOwner = 0;
  let shotRewind = 0;
  let tickNow = 0;
  let context: ModeContext<ArenaEvent> | undefined;
  let first = 2;
  let victim = -1;
  const consider = (i: number): void => {
    const p = targets[i]!;
    if (p.id === shotOwner || p.hp <= 0) return;
    // Where the shooter saw this player at this point of the shot's flight, never before its respawn
    // (or where it is now: no rewind, not in the history, or respawned this tick).
    let c: Point = p;
    if (shotRewind > 0 && p.spawnTick < tickNow) c = context!.positionAt(p.id, Math.max(tickNow - shotRewind, p.spawnTick), seen) ?? p;
    const t = segmentHit(from.x, from.y, to.x, to.y, c.x, c.y, HIT_RADIUS);
    if (t >= 0 && (t < first || (t === first && i < victim))) {
      first = t;
      victim = i;
    }
  };

  function startSegment(p: P, dir: number): void {
    p.sx = p.x;
    p.sy = p.y;
    p.dir = dir;
    p.steps = 0;
  }

  function hit(state: S, victimIndex: number, shooterId: number, ctx: ModeContext<ArenaEvent>): void {
    const p = targets[victimIndex]!;
    p.hp = Math.max(0, p.hp - HIT_DAMAGE);
    if (p.hp > 0) return;
    const shooter = state.players.get(String(shooterId));
    if (shooter) shooter.score += 1;
    ctx.emit({ type: 'kill', killer: shooterId, victim: p.id });
    spawn(ctx.random);
    p.x = spawnAt.x;
    p.y = spawnAt.y;
    startSegment(p, p.dir);
    p.hp = MAX_HP;
    p.spawnTick = ctx.tick;
    always.push(victimIndex); // the grid has it where it died
  }

  function stepProjectiles(state: S, ctx: ModeContext<ArenaEvent>): void {
    const { tick, tickRate } = ctx;
    removed.length = 0;
    if (state.projectiles.size === 0) return;
    // The players, listed and indexed once a tick.
    targets.length = 0;
    always.length = 0;
    grid.clear();
    state.players.forEach((p) => {
      const i = targets.push(p) - 1;
      if (fullScan || p.catchUpUntil > tick) always.push(i);
      else grid.insert(i, p.x, p.y);
    });
    const step = PLAYER_SPEED / tickRate;
    tickNow = tick;
    context = ctx;
    state.projectiles.forEach((shot, id) => {
      const age = tick - shot.spawnTick;
      projectileAt(shot.x, shot.y, shot.angle, Math.max(0, age - 1), tickRate, from);
      projectileAt(shot.x, shot.y, shot.angle, age, tickRate, to);
      shotOwner = shot.owner;
      shotRewind = shot.rewind;
      first = 2;
      victim = -1;
      // The history answers at most maxRewindTicks back and at least one tick back (its last tick).
      const reach = HIT_RADIUS + (Math.ceil(Math.min(shot.rewind, ctx.maxRewindTicks)) + 1) * step;
      grid.query(Math.min(from.x, to.x) - reach, Math.min(from.y, to.y) - reach, Math.max(from.x, to.x) + reach, Math.max(from.y, to.y) + reach, consider);
      for (let k = 0; k < always.length; k++) consider(always[k]!);
      if (victim >= 0) {
        hit(state, victim, shot.owner, ctx);
        removed.push(id);
      } else if (age >= PROJECTILE_LIFETIME_TICKS || !inside(to.x, to.y)) {
        removed.push(id);
      }
    });
    for (const id of removed) state.projectiles.delete(id);
    // Hold no room's players between ticks.
    targets.length = 0;
    grid.clear();
    context = undefined;
  }

  return {
    join(state, player, ctx) {
      const p = make.player();
      spawn(ctx.random);
      p.id = player.id;
      p.name = player.name;
      p.x = spawnAt.x;
      p.y = spawnAt.y;
      startSegment(p, STILL);
      p.aim = 0;
      p.aimNow = 0;
      p.hp = MAX_HP;
      p.score = 0;
      p.lastShotMs = -Infinity;
      p.inputTick = ctx.tick;
      p.spawnTick = ctx.tick;
      p.catchUpUntil = 0;
      state.players.set(String(player.id), p);
    },
    leave(state, player) {
      state.players.delete(String(player.id));
    },
    tick(state, inputs, ctx) {
      for (let i = 0; i < inputs.length; i++) {
        const { player, input, viewTick } = inputs[i]!;
        const p = state.players.get(String(player.id));
        if (!p) continue;
        // A second step this tick: farther from its past than the broad phase assumes, for a while.
        if (p.inputTick === ctx.tick) p.catchUpUntil = ctx.tick + Math.ceil(ctx.maxRewindTicks) + 2;
        const dir = directionIndex(input.dx, input.dy);
        if (dir !== p.dir || p.steps >= SEGMENT_MAX_STEPS) startSegment(p, dir);
        walk(p, input.dx, input.dy, PLAYER_SPEED, ctx.dt, size, coordMax);
        if (dir !== STILL) p.steps++;
        p.inputTick = ctx.tick;
        p.aimNow = input.aim;
        if (input.fire && canFire(p.lastShotMs, ctx.timeMs)) {
          p.lastShotMs = ctx.timeMs;
          const shot = make.projectile();
          shot.owner = player.id;
          shot.x = p.x;
          shot.y = p.y;
          shot.angle = snapAngle(input.aim);
          shot.spawnTick = ctx.tick;
          shot.rewind = ctx.tick - viewTick;
          state.projectiles.set((state.nextProjectileId++).toString(36), shot);
        }
      }
      stepProjectiles(state, ctx);
      state.players.forEach((p) => {
        if (p.dir !== STILL && ctx.tick - p.inputTick >= IDLE_TICKS_TO_STAND) startSegment(p, STILL);
        // A tick without input (or with two) shifts where the segment starts in time, not in space.
        if (p.dir !== STILL) p.since = (ctx.tick - p.steps) & 0xffff;
        if ((ctx.tick + p.id) % AIM_EVERY_TICKS === 0 && aimStep(p.aimNow) !== aimStep(p.aim)) p.aim = p.aimNow;
      });
    },
    materialize(state, tick, tickRate) {
      state.players.forEach((p) => {
        segmentPosition(p.sx, p.sy, p.dir, segmentSteps(p.since, tick), tickRate, at, size, coordMax);
        p.x = at.x;
        p.y = at.y;
      });
    },
  };
}

/**
 * Puts `p` at (x, y) standing, snapped to `world`'s wire grid: a teleport as tests and tools make
 * one (a segment starts there, so clients see it where the server has it).
 */
export function placePlayer(p: ShooterPlayer, x: number, y: number, world: ShooterWorld): void {
  p.x = p.sx = snapCoord(x, world.size, world.coordMax);
  p.y = p.sy = snapCoord(y, world.size, world.coordMax);
  p.dir = STILL;
  p.steps = 0;
}

/** The positions a shot can hit, for the engine's lag-compensation history (a mode's `lagCompensation`). */
export const shooterLagCompensation = {
  positions(state: { players: { forEach(visit: (p: ShooterPlayer) => void): void } }, record: (id: number, x: number, y: number) => void): void {
    state.players.forEach((p) => record(p.id, p.x, p.y));
  },
};
