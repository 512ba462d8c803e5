import { describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { ServerMessage } from '../../protocol/constants';
import { ArenaEvents } from './events';
import { arena } from './index';
import { PATCH_HEADER_BYTES } from '../../protocol/messages';
import {
  FIRE_COOLDOWN_MS,
  HIT_DAMAGE,
  MAX_HP,
  PLAYER_SPEED,
  PROJECTILE_LIFETIME_TICKS,
  PROJECTILE_SPEED,
  TICK_RATE,
  WORLD_SIZE,
  movePlayer,
  projectileAt,
  segmentHit,
  snapCoord,
} from './rules';
import type { ArenaInput } from './input';

const still: ArenaInput = { dx: 0, dy: 0, aim: 0, fire: false };

function setup(n: number, seed = 1) {
  const h = createHarness(arena, { seed });
  const players = Array.from({ length: n }, (_, i) => h.join(`p${i}`));
  h.step(); // seat and welcome
  const of = (p: (typeof players)[number]) => h.state.players.get(String(p.id))!;
  return { h, players, of };
}

function place(p: { x: number; y: number }, x: number, y: number) {
  p.x = x;
  p.y = y;
}

describe('arena movement', () => {
  it('moves at 200 units/s along the input direction', () => {
    const { h, players, of } = setup(1);
    const me = of(players[0]!);
    place(me, 500, 500);
    for (let i = 0; i < TICK_RATE; i++) {
      players[0]!.input({ ...still, dx: 1 });
      h.step();
    }
    expect(Math.abs(me.x - 700)).toBeLessThan(1e-9); // exact: a straight step is 200 grid steps
    expect(me.y).toBeCloseTo(500, 1);
  });

  it('normalises diagonal input: no faster diagonals', () => {
    const p = { x: 1000, y: 1000 };
    for (let i = 0; i < TICK_RATE; i++) movePlayer(p, 1, 1, 1 / TICK_RATE);
    const dist = Math.hypot(p.x - 1000, p.y - 1000);
    expect(dist).toBeGreaterThan(PLAYER_SPEED * 0.99);
    expect(dist).toBeLessThanOrEqual(PLAYER_SPEED);
    expect(p.x - 1000).toBeCloseTo(p.y - 1000, 6);
  });

  it('clamps to the world', () => {
    const { h, players, of } = setup(1);
    const me = of(players[0]!);
    place(me, 3, WORLD_SIZE - 3);
    for (let i = 0; i < 10; i++) {
      players[0]!.input({ ...still, dx: -1, dy: 1 });
      h.step();
    }
    expect(me.x).toBe(0);
    expect(me.y).toBe(WORLD_SIZE);
  });

  it('applies each input frame once, in order, one per tick, and acknowledges it', () => {
    const { h, players, of } = setup(1);
    const me = of(players[0]!);
    place(me, 1000, 1000);
    h.step(3);
    const first = players[0]!.input({ ...still, dx: 1 });
    players[0]!.input({ ...still, dx: 1 });
    const last = players[0]!.input({ ...still, dy: 1 });
    h.step(); // three frames that arrived together wait in the input buffer: one step per tick
    expect(players[0]!.ack).toBe(first);
    h.step(2);
    expect(players[0]!.ack).toBe(last);
    const step = PLAYER_SPEED / TICK_RATE;
    expect(me.x).toBeCloseTo(1000 + 2 * step, 1);
    expect(me.y).toBeCloseTo(1000 + step, 1);
    h.step(5); // nothing more to apply: nothing moves
    expect(me.x).toBeCloseTo(1000 + 2 * step, 1);
  });

  it('never applies more input frames than ticks over time (no speed hack by flooding)', () => {
    const { h, players, of } = setup(1);
    const me = of(players[0]!);
    place(me, 100, 1000);
    for (let t = 0; t < 30; t++) {
      for (let k = 0; k < 2; k++) players[0]!.input({ ...still, dx: 1 }); // 60 inputs/s
      h.step();
    }
    // Over 30 ticks at most 30 + the 4-tick burst allowance are applied.
    expect(me.x - 100).toBeLessThanOrEqual((PLAYER_SPEED / TICK_RATE) * 34 + 0.1);
  });
});

describe('arena firing', () => {
  it('spawns a projectile with spawn data only, and enforces the 250 ms cooldown', () => {
    const { h, players, of } = setup(1);
    const me = of(players[0]!);
    place(me, 1000, 1000);
    const ticksPerCooldown = Math.ceil((FIRE_COOLDOWN_MS * TICK_RATE) / 1000); // 7.5 → 8
    let shots = 0;
    for (let t = 0; t < 30; t++) {
      const before = h.state.nextProjectileId;
      players[0]!.input({ ...still, aim: 0, fire: true });
      h.step();
      shots += h.state.nextProjectileId - before;
    }
    expect(shots).toBe(Math.ceil(30 / ticksPerCooldown)); // 4 in one second of holding fire
    const shot = [...h.state.projectiles.values()][0]!;
    expect(shot.owner).toBe(players[0]!.id);
    expect(shot.x).toBe(me.x);
  });

  it('flies at 600 units/s for at most one second', () => {
    const { h, players, of } = setup(1);
    const me = of(players[0]!);
    place(me, 100, 1000);
    players[0]!.input({ ...still, aim: 0, fire: true });
    h.step();
    expect(h.state.projectiles.size).toBe(1);
    const shot = [...h.state.projectiles.values()][0]!;
    const at = projectileAt(shot.x, shot.y, shot.angle, TICK_RATE, TICK_RATE, { x: 0, y: 0 });
    expect(at.x - shot.x).toBeCloseTo(PROJECTILE_SPEED, 6);
    h.step(PROJECTILE_LIFETIME_TICKS - 1);
    expect(h.state.projectiles.size).toBe(1); // still flying at 29 ticks
    h.step();
    expect(h.state.projectiles.size).toBe(0); // gone at 1 s
  });

  it('leaves the world early if it flies out of it', () => {
    const { h, players, of } = setup(1);
    place(of(players[0]!), 10, 1000);
    players[0]!.input({ ...still, aim: Math.PI, fire: true });
    h.step(2);
    expect(h.state.projectiles.size).toBe(0);
  });

  it('hits the first other player within 16 units for 10 hp, not the shooter', () => {
    const { h, players, of } = setup(3);
    const [a, b, c] = players.map(of) as [ReturnType<typeof of>, ReturnType<typeof of>, ReturnType<typeof of>];
    place(a, 100, 1000);
    place(b, 300, 1010); // 10 units off the line: within 16
    place(c, 250, 1000); // nearer along the path: hit first
    players[0]!.input({ ...still, aim: 0, fire: true });
    h.step(12);
    expect(c.hp).toBe(MAX_HP - HIT_DAMAGE);
    expect(b.hp).toBe(MAX_HP);
    expect(a.hp).toBe(MAX_HP);
    expect(h.state.projectiles.size).toBe(0);
  });

  it('misses a player 17 units off the line', () => {
    const { h, players, of } = setup(2);
    const [a, b] = players.map(of) as [ReturnType<typeof of>, ReturnType<typeof of>];
    place(a, 100, 1000);
    place(b, 300, 1017);
    players[0]!.input({ ...still, aim: 0, fire: true });
    h.step(31);
    expect(b.hp).toBe(MAX_HP);
  });

  it('does not tunnel: a hit between two tick positions counts', () => {
    // 20 units per tick, 16-unit radius: the segment test catches a target between samples.
    expect(segmentHit(0, 0, 20, 0, 10, 15, 16)).toBeGreaterThan(0);
    expect(segmentHit(0, 0, 20, 0, 10, 17, 16)).toBe(-1);
  });

  it('at 0 hp: the shooter scores, the victim respawns at a random point with 100 hp', () => {
    const { h, players, of } = setup(2, 42);
    const [a, b] = players.map(of) as [ReturnType<typeof of>, ReturnType<typeof of>];
    place(a, 100, 1000);
    place(b, 200, 1000);
    b.hp = HIT_DAMAGE; // one hit from death
    players[0]!.input({ ...still, aim: 0, fire: true });
    h.step(6);
    expect(a.score).toBe(1);
    expect(b.hp).toBe(MAX_HP);
    expect(b.x !== 200 || b.y !== 1000).toBe(true);
    expect(b.x).toBe(snapCoord(b.x));
  });

  it('tells every client of a kill with an event: killer, victim and the exact tick', () => {
    const { h, players, of } = setup(3, 42);
    const [a, b] = players.map(of) as [ReturnType<typeof of>, ReturnType<typeof of>];
    place(a, 100, 1000);
    place(b, 200, 1000);
    b.hp = 2 * HIT_DAMAGE; // two hits from death
    players[0]!.input({ ...still, aim: 0, fire: true });
    h.stepUntil(() => b.hp === HIT_DAMAGE);
    expect(h.events).toEqual([]); // a hit that does not kill is no event
    h.stepSeconds(FIRE_COOLDOWN_MS / 1000);
    players[0]!.input({ ...still, aim: 0, fire: true });
    h.stepUntil(() => a.score === 1);
    const kill = { tick: h.tick, event: { type: 'kill', killer: players[0]!.id, victim: players[1]!.id } };
    expect(h.events).toEqual([kill]);
    for (const p of players) expect(p.events).toEqual([kill]); // what each client decoded
    h.step();
    expect(h.events).toEqual([]); // an event lives one tick
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const { h, players } = setup(2, seed);
      return JSON.stringify(h.state.players.toJSON()) + players.length;
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });
});

describe('arena on the wire', () => {
  it('every client decodes the same state as the server holds', () => {
    const { h, players } = setup(4, 3);
    for (let t = 0; t < 60; t++) {
      players.forEach((p, i) => p.input({ dx: (i % 3) - 1, dy: ((t >> 3) % 3) - 1, aim: t / 10, fire: t % 9 === i }));
      h.step();
    }
    const truth = JSON.stringify(h.state.toJSON());
    for (const p of players) expect(JSON.stringify(p.mirror.toJSON())).toBe(truth);
  });

  it('every client holds exactly the positions the server computed, every tick, through turns, gaps, bursts, walls and respawns', () => {
    const { h, players, of } = setup(4, 9);
    place(of(players[0]!), 5, 5); // walks into a corner
    let checked = 0;
    for (let t = 0; t < 400; t++) {
      players.forEach((p, i) => {
        // Player 1 skips every 7th frame (no input that tick) and doubles up after; the others turn often.
        if (i === 1 && t % 7 === 3) return;
        const frames = i === 1 && t % 7 === 4 ? 2 : 1;
        for (let k = 0; k < frames; k++) {
          p.input({ dx: i === 0 ? -1 : ((t >> (2 + i)) % 3) - 1, dy: i === 0 ? -1 : ((t >> 3) % 3) - 1, aim: t / 7 + i, fire: (t + i) % 5 === 0 });
        }
      });
      h.step();
      for (const watcher of players) {
        for (const p of players) {
          const truth = of(p);
          const seen = watcher.mirror.players.get(String(p.id))!;
          expect([seen.x, seen.y]).toEqual([truth.x, truth.y]);
          checked++;
        }
      }
    }
    expect(checked).toBe(400 * 16);
    expect(of(players[0]!)).toMatchObject({ x: 0, y: 0 });
  });

  it('costs nothing for a player walking straight, one segment (13 bytes) for a turn, nothing per projectile in flight', () => {
    const { h, players, of } = setup(1);
    place(of(players[0]!), 1000, 1000);
    h.step();
    const header = PATCH_HEADER_BYTES;
    const sizes = players[0]!.patchSizes;
    players[0]!.input({ ...still, dx: 1, dy: 1 });
    h.step();
    expect(sizes.at(-1)! - header).toBeLessThanOrEqual(13); // refId switch 2 + sx, sy 3 each + dir 2 + since 3
    for (let i = 0; i < 10; i++) {
      players[0]!.input({ ...still, dx: 1, dy: 1 });
      h.step();
      expect(sizes.at(-1)! - header).toBe(0); // walking on along the segment
    }
    h.step(); // no input this tick: the segment's start moves one tick later
    expect(sizes.at(-1)! - header).toBeLessThanOrEqual(5);
    players[0]!.input({ ...still, dx: 1, dy: 1, aim: 0, fire: true });
    h.step();
    const spawn = sizes.at(-1)! - header;
    players[0]!.input({ ...still, dx: 1, dy: 1 });
    h.step();
    expect(sizes.at(-1)! - header).toBe(0); // in flight: no bytes
    h.step(PROJECTILE_LIFETIME_TICKS);
    expect(spawn).toBeGreaterThan(10);
    expect(spawn).toBeLessThan(32);
  });

  it('sends the aim a player shows at most every 3 ticks, and only when its 8-bit value changed', () => {
    const { h, players, of } = setup(1);
    h.step();
    const sizes = players[0]!.patchSizes;
    const shown: number[] = [];
    for (let t = 0; t < 30; t++) {
      players[0]!.input({ ...still, aim: t * 0.05 });
      h.step();
      shown.push(players[0]!.mirror.players.get(String(players[0]!.id))!.aim);
    }
    const changes = shown.filter((a, i) => i > 0 && a !== shown[i - 1]).length;
    expect(changes).toBeGreaterThanOrEqual(9);
    expect(changes).toBeLessThanOrEqual(10);
    expect(sizes.slice(-30).filter((n) => n > PATCH_HEADER_BYTES).length).toBe(changes);
    expect(Math.abs(shown.at(-1)! - of(players[0]!).aimNow)).toBeLessThan(0.05 * 3 + 0.03);
  });

  it("a kill costs 7 bytes in its tick's patch (2 section length + 5 event); other ticks carry no section", () => {
    const { h, players, of } = setup(2, 42);
    const [a, b] = players.map(of) as [ReturnType<typeof of>, ReturnType<typeof of>];
    place(a, 100, 1000);
    place(b, 200, 1000);
    b.hp = HIT_DAMAGE;
    players[0]!.input({ ...still, aim: 0, fire: true });
    const seen = players[1]!.received.length;
    h.stepUntil(() => a.score === 1);
    const patches = players[1]!.received.slice(seen).flatMap((m) => (m.type === ServerMessage.PATCH ? [m] : []));
    const withEvents = patches.filter((m) => m.events);
    expect(withEvents.map((m) => m.tick)).toEqual([h.tick]);
    const killPatch = withEvents[0] as { events: Uint8Array; state: Uint8Array };
    expect(killPatch.events.byteLength).toBe(ArenaEvents.bytes.kill);
    expect(ArenaEvents.bytes.kill).toBe(5);
    expect(players[1]!.patchSizes.at(-1)).toBe(PATCH_HEADER_BYTES + 2 + 5 + killPatch.state.byteLength);
  });
});
