/**
 * The arena mode: top-down shooter, the reference workload of ../shared/handbook/WORKLOAD.md.
 *
 * Favor the shooter: a shot is tested against the players where its shooter saw them. The shooter
 * draws other players `rewind` ticks in the past (its interpolation view, sent in every input as
 * the view tick) and its own shot on its own timeline from the click, so on its screen the shot at
 * age a meets the others as they were `rewind` ticks before tick spawn + a. The server does the
 * same, through the engine's history (`ctx.positionAt`), within the engine's rewind bound (250 ms by
 * default). The price is the victim's: they can be hit up to that long after reaching cover.
 */
import { defineMode, type ModeContext } from '../../mode-api/define-mode';
import { ArenaEvents, type ArenaEvent } from './events';
import { ArenaInput } from './input';
import {
  HIT_DAMAGE,
  HIT_RADIUS,
  MAX_HP,
  AIM_EVERY_TICKS,
  IDLE_TICKS_TO_STAND,
  MAX_PLAYERS,
  PROJECTILE_LIFETIME_TICKS,
  RULES,
  SEGMENT_MAX_STEPS,
  STILL,
  TICK_RATE,
  WORLD_SIZE,
  aimStep,
  canFire,
  directionIndex,
  insideWorld,
  movePlayer,
  projectileAt,
  randomSpawn,
  segmentHit,
  segmentPosition,
  segmentSteps,
  snapAngle,
  type Point,
} from './rules';
import { ArenaPlayer, ArenaState, Projectile } from './state';

export * from './rules';
export * from './state';
export * from './input';
export * from './events';

// Scratch points reused every tick: the hot path allocates nothing per entity.
const from: Point = { x: 0, y: 0 };
const to: Point = { x: 0, y: 0 };
const spawnAt: Point = { x: 0, y: 0 };
const seen: Point = { x: 0, y: 0 };
const removed: string[] = [];
const targets: ArenaPlayer[] = [];
const at: Point = { x: 0, y: 0 };

export const arena = defineMode({
  name: 'arena',
  title: 'Arena',
  description: 'Free-for-all shooter: move, aim, fire. A kill scores one point.',
  tickRate: TICK_RATE,
  maxPlayers: MAX_PLAYERS,
  world: { width: WORLD_SIZE, height: WORLD_SIZE },
  rules: RULES,
  // 2: motion segments and the aim cadence (issue 13); recordings of version 1 replay differently.
  version: 2,
  State: ArenaState,
  input: ArenaInput,
  lagCompensation: {
    positions(state, record) {
      state.players.forEach((p) => record(p.id, p.x, p.y));
    },
  },
  events: ArenaEvents,

  join(state, player, ctx) {
    const p = new ArenaPlayer();
    randomSpawn(ctx.random, spawnAt);
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
      const dir = directionIndex(input.dx, input.dy);
      if (dir !== p.dir || p.steps >= SEGMENT_MAX_STEPS) startSegment(p, dir);
      movePlayer(p, input.dx, input.dy, ctx.dt);
      if (dir !== STILL) p.steps++;
      p.inputTick = ctx.tick;
      p.aimNow = input.aim;
      if (input.fire && canFire(p.lastShotMs, ctx.timeMs)) {
        p.lastShotMs = ctx.timeMs;
        const shot = new Projectile();
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
      segmentPosition(p.sx, p.sy, p.dir, segmentSteps(p.since, tick), tickRate, at);
      p.x = at.x;
      p.y = at.y;
    });
  },
});

/** Starts a motion segment from where the player is now (its `since` is set at the end of the tick). */
function startSegment(p: ArenaPlayer, dir: number): void {
  p.sx = p.x;
  p.sy = p.y;
  p.dir = dir;
  p.steps = 0;
}

function stepProjectiles(state: ArenaState, ctx: ModeContext<ArenaEvent>): void {
  const { tick, tickRate } = ctx;
  removed.length = 0;
  if (state.projectiles.size === 0) return;
  // The players, listed once a tick, so the per-projectile scan below allocates nothing.
  targets.length = 0;
  state.players.forEach((p) => void targets.push(p));
  state.projectiles.forEach((shot, id) => {
    const age = tick - shot.spawnTick;
    projectileAt(shot.x, shot.y, shot.angle, Math.max(0, age - 1), tickRate, from);
    projectileAt(shot.x, shot.y, shot.angle, age, tickRate, to);
    let victim: ArenaPlayer | undefined;
    let first = 2;
    for (let i = 0; i < targets.length; i++) {
      const p = targets[i]!;
      if (p.id === shot.owner || p.hp <= 0) continue;
      // Where the shooter saw this player at this point of the shot's flight (or where it is now).
      const at = (shot.rewind > 0 && ctx.positionAt(p.id, tick - shot.rewind, seen)) || p;
      const t = segmentHit(from.x, from.y, to.x, to.y, at.x, at.y, HIT_RADIUS);
      if (t >= 0 && t < first) {
        first = t;
        victim = p;
      }
    }
    if (victim) {
      hit(state, victim, shot.owner, ctx);
      removed.push(id);
    } else if (age >= PROJECTILE_LIFETIME_TICKS || !insideWorld(to.x, to.y)) {
      removed.push(id);
    }
  });
  for (const id of removed) state.projectiles.delete(id);
  targets.length = 0; // hold no room's players between ticks
}

function hit(state: ArenaState, victim: ArenaPlayer, shooterId: number, ctx: ModeContext<ArenaEvent>): void {
  victim.hp = Math.max(0, victim.hp - HIT_DAMAGE);
  if (victim.hp > 0) return;
  const shooter = state.players.get(String(shooterId));
  if (shooter) shooter.score += 1;
  ctx.emit({ type: 'kill', killer: shooterId, victim: victim.id });
  randomSpawn(ctx.random, spawnAt);
  victim.x = spawnAt.x;
  victim.y = spawnAt.y;
  startSegment(victim, victim.dir);
  victim.hp = MAX_HP;
}
