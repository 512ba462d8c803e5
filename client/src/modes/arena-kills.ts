/**
 * Arena sends no events, only state; the kill feed is inferred from two consecutive snapshots.
 * In arena hp never rises except on respawn (a kill resets the victim to full hp at a random spot
 * in the same tick), and only a kill raises a score. So: a player whose hp went up was killed this
 * tick. Its killer is the owner of a projectile that vanished this tick on the victim's path (the
 * projectile's last segment passes within reach of where the victim was), whose score went up;
 * failing that, any player whose score went up and is not yet credited; failing that, nobody (the
 * killer left in the same tick).
 */
import { HIT_RADIUS, PLAYER_SPEED, TICK_RATE, projectileAt, segmentHit } from '@tickforge/shared/modes/arena/index';
import type { FeedEntry } from './mode-client';
import type { PlayerSnap } from './player-snapshots';

export interface ProjectileSnap {
  id: string;
  owner: number;
  x: number;
  y: number;
  angle: number;
  spawnTick: number;
}

export interface ArenaSnap {
  players: Map<number, PlayerSnap>;
  projectiles: ProjectileSnap[];
}

/** How far the victim may have moved in the tick before it was hit, plus the hit radius. */
const REACH = HIT_RADIUS + (PLAYER_SPEED / TICK_RATE) * 1.5;

const a = { x: 0, y: 0 };
const b = { x: 0, y: 0 };

export function inferKills(prev: ArenaSnap, next: ArenaSnap, tick: number, tickRate = TICK_RATE): FeedEntry[] {
  const victims: PlayerSnap[] = [];
  next.players.forEach((p) => {
    const before = prev.players.get(p.id);
    if (before && p.hp !== undefined && before.hp !== undefined && p.hp > before.hp) victims.push(before);
  });
  if (victims.length === 0) return [];

  const credits = new Map<number, number>();
  next.players.forEach((p) => {
    const gained = (p.score ?? 0) - (prev.players.get(p.id)?.score ?? p.score ?? 0);
    if (gained > 0) credits.set(p.id, gained);
  });
  const alive = new Set(next.projectiles.map((s) => s.id));
  const vanished = prev.projectiles.filter((s) => !alive.has(s.id));

  const out: FeedEntry[] = [];
  for (const victim of victims) {
    let killer: number | undefined;
    let best = Infinity;
    for (const shot of vanished) {
      if (shot.owner === victim.id || !credits.get(shot.owner)) continue;
      const age = tick - shot.spawnTick;
      projectileAt(shot.x, shot.y, shot.angle, Math.max(0, age - 1), tickRate, a);
      projectileAt(shot.x, shot.y, shot.angle, age, tickRate, b);
      const t = segmentHit(a.x, a.y, b.x, b.y, victim.x, victim.y, REACH);
      if (t >= 0 && t < best) {
        best = t;
        killer = shot.owner;
      }
    }
    if (killer === undefined) {
      for (const [id, n] of credits) {
        if (n > 0 && id !== victim.id) {
          killer = id;
          break;
        }
      }
    }
    if (killer !== undefined) credits.set(killer, (credits.get(killer) ?? 0) - 1);
    const k = killer === undefined ? undefined : next.players.get(killer);
    const target = { id: victim.id, name: victim.name };
    out.push({ tick, parts: k ? [{ id: k.id, name: k.name }, ' eliminated ', target] : [target, ' was eliminated'] });
  }
  return out;
}
