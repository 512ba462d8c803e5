import { describe, expect, it } from 'vitest';
import { inferKills, type ArenaSnap, type ProjectileSnap } from '../src/modes/arena-kills';
import type { FeedEntry } from '../src/modes/mode-client';
import type { PlayerSnap } from '../src/modes/player-snapshots';

/** A feed entry as the kill feed shows it. */
const line = (e: FeedEntry) => e.parts.map((p) => (typeof p === 'string' ? p : p.name)).join('');

const player = (id: number, name: string, x: number, y: number, hp: number, score: number): PlayerSnap => ({ id, name, x, y, aim: 0, hp, score });
const snap = (players: PlayerSnap[], projectiles: ProjectileSnap[] = []): ArenaSnap => ({ players: new Map(players.map((p) => [p.id, p])), projectiles });
// A shot of `owner` fired along +x from (x, y) at tick 5: at tick 14 it is 180 units along.
const shot = (id: string, owner: number, x: number, y: number): ProjectileSnap => ({ id, owner, x, y, angle: 0, spawnTick: 5 });

describe('inferKills (arena kill feed from two snapshots)', () => {
  it('credits the owner of the projectile that vanished where the victim was', () => {
    const prev = snap([player(1, 'alice', 100, 100, 100, 0), player(2, 'bob', 280, 100, 10, 0)], [shot('a', 1, 100, 100)]);
    const next = snap([player(1, 'alice', 100, 100, 100, 1), player(2, 'bob', 1500, 1500, 100, 0)]);
    expect(inferKills(prev, next, 14)).toEqual([{ tick: 14, parts: [{ id: 1, name: 'alice' }, ' eliminated ', { id: 2, name: 'bob' }] }]);
  });

  it('pairs two kills in one tick by projectile, not by order', () => {
    const prev = snap(
      [player(1, 'alice', 100, 100, 100, 0), player(2, 'bob', 280, 100, 10, 0), player(3, 'carol', 100, 900, 100, 4), player(4, 'dan', 280, 900, 10, 0)],
      [shot('c', 3, 100, 900), shot('a', 1, 100, 100)],
    );
    const next = snap([player(1, 'alice', 100, 100, 100, 1), player(2, 'bob', 5, 5, 100, 0), player(3, 'carol', 100, 900, 100, 5), player(4, 'dan', 9, 9, 100, 0)]);
    const kills = inferKills(prev, next, 14).map(line);
    expect(kills.sort()).toEqual(['alice eliminated bob', 'carol eliminated dan']);
  });

  it('falls back to whoever scored, then to nobody', () => {
    const prev = snap([player(1, 'alice', 100, 100, 100, 0), player(2, 'bob', 700, 700, 10, 0)]);
    const scored = snap([player(1, 'alice', 100, 100, 100, 1), player(2, 'bob', 5, 5, 100, 0)]);
    expect(inferKills(prev, scored, 20).map(line)).toEqual(['alice eliminated bob']);
    const shooterLeft = snap([player(2, 'bob', 5, 5, 100, 0)]);
    expect(inferKills(prev, shooterLeft, 20).map(line)).toEqual(['bob was eliminated']);
  });

  it('sees nothing in a tick with hits but no kill, or with a player joining', () => {
    const prev = snap([player(1, 'alice', 100, 100, 100, 0), player(2, 'bob', 280, 100, 50, 0)], [shot('a', 1, 100, 100)]);
    const next = snap([player(1, 'alice', 100, 100, 100, 0), player(2, 'bob', 280, 100, 40, 0), player(3, 'new', 9, 9, 100, 0)]);
    expect(inferKills(prev, next, 14)).toEqual([]);
  });
});
