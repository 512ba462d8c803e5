/**
 * Arena's rules as hooks over any world size: arena plays them in its 2000-unit world, bigworld
 * (../bigworld) in an 8000-unit one. The numbers (speed, cooldown, projectile speed and reach,
 * damage) are arena's, from ./rules.ts; only the world's size and wire grid differ.
 * The hot path allocates nothing per entity (scratch points are per rules instance).
 *
 * Favor the shooter: a shot is tested against the players where its shooter saw them. The shooter
 * draws other players `rewind` ticks in the past (its interpolation view, sent in every input as
 * the view tick) and its own shot on its own timeline from the click, so on its screen the shot at
 * age a meets the others as they were `rewind` ticks before tick spawn + a. The server does the
 * same, through the engine's history (`ctx.positionAt`, fed by `shooterLagCompensation`), within
 * the engine's rewind bound (250 ms by default). The price is the victim's: they can be hit up to
 * that long after reaching cover.
 */
import type { MapSchema } from '@colyseus/schema';
import type { ModeContext, ModePlayer, PlayerInput } from '../../mode-api/define-mode';
import { randomPoint, walk, type Point } from '../../mode-api/movement';
import type { ArenaEvent } from './events';
import type { ArenaInput } from './input';
import { HIT_DAMAGE, HIT_RADIUS, MAX_HP, PLAYER_SPEED, PROJECTILE_LIFETIME_TICKS, canFire, projectileAt, segmentHit, snapAngle } from './rules';

/** The world the rules play in: `size` units square, positions on the grid of coordField(size, coordMax). */
export interface ShooterWorld {
  readonly size: number;
  readonly coordMax: number;
}

export interface ShooterPlayer extends Point {
  id: number;
  name: string;
  aim: number;
  hp: number;
  score: number;
  lastShotMs: number;
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
}

/** Arena's join, leave and tick over `world`, building state objects with `make`. */
export function shooterRules<P extends ShooterPlayer, J extends ShooterProjectile, S extends ShooterState<P, J>>(
  world: ShooterWorld,
  make: { player(): P; projectile(): J },
): ShooterRules<S> {
  const { size, coordMax } = world;
  // Scratch reused every tick.
  const from: Point = { x: 0, y: 0 };
  const to: Point = { x: 0, y: 0 };
  const spawnAt: Point = { x: 0, y: 0 };
  const removed: string[] = [];
  const targets: P[] = [];
  const seen: Point = { x: 0, y: 0 };
  const inside = (x: number, y: number) => x >= 0 && x <= size && y >= 0 && y <= size;
  const spawn = (random: () => number) => randomPoint(random, size, 0, spawnAt, coordMax);

  function hit(state: S, victim: P, shooterId: number, ctx: ModeContext<ArenaEvent>): void {
    victim.hp = Math.max(0, victim.hp - HIT_DAMAGE);
    if (victim.hp > 0) return;
    const shooter = state.players.get(String(shooterId));
    if (shooter) shooter.score += 1;
    ctx.emit({ type: 'kill', killer: shooterId, victim: victim.id });
    spawn(ctx.random);
    victim.x = spawnAt.x;
    victim.y = spawnAt.y;
    victim.hp = MAX_HP;
  }

  function stepProjectiles(state: S, ctx: ModeContext<ArenaEvent>): void {
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
      let victim: P | undefined;
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
      } else if (age >= PROJECTILE_LIFETIME_TICKS || !inside(to.x, to.y)) {
        removed.push(id);
      }
    });
    for (const id of removed) state.projectiles.delete(id);
    targets.length = 0; // hold no room's players between ticks
  }

  return {
    join(state, player, ctx) {
      const p = make.player();
      spawn(ctx.random);
      p.id = player.id;
      p.name = player.name;
      p.x = spawnAt.x;
      p.y = spawnAt.y;
      p.aim = 0;
      p.hp = MAX_HP;
      p.score = 0;
      p.lastShotMs = -Infinity;
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
        walk(p, input.dx, input.dy, PLAYER_SPEED, ctx.dt, size, coordMax);
        p.aim = input.aim;
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
    },
  };
}

/** The positions a shot can hit, for the engine's lag-compensation history (a mode's `lagCompensation`). */
export const shooterLagCompensation = {
  positions(state: { players: { forEach(visit: (p: ShooterPlayer) => void): void } }, record: (id: number, x: number, y: number) => void): void {
    state.players.forEach((p) => record(p.id, p.x, p.y));
  },
};
