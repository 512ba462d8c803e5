/**
 * Interest management (server/src/room/interest.ts) as a mode developer meets it: bigworld in the
 * headless harness, a client's view a 1920 × 1080 rectangle around its player with a 192-unit
 * hysteresis margin. What each fake player's mirror holds was built only from the bytes it got.
 */
import { describe, expect, it } from 'vitest';
import { ServerMessage } from '@tickforge/shared';
import { createHarness } from '../src/harness';
import { bigworld, COORD_MAX, VIEW_WIDTH, WORLD_SIZE, type BigPlayer, type BigWorldState } from '@tickforge/shared/modes/bigworld/index';
import { placePlayer } from '@tickforge/shared/modes/arena/shooter';
import type { ArenaInput } from '@tickforge/shared/modes/arena/input';

const still: ArenaInput = { dx: 0, dy: 0, aim: 0, fire: false };
const HALF_W = VIEW_WIDTH / 2;
const MARGIN = 0.1 * VIEW_WIDTH;
/** Teleports a player (standing, on the wire grid). */
const place = (p: BigPlayer, x: number, y: number) => placePlayer(p, x, y, { size: WORLD_SIZE, coordMax: COORD_MAX });

function setup(n: number, seed = 1) {
  const h = createHarness(bigworld, { seed });
  const players = Array.from({ length: n }, (_, i) => h.join(`p${i}`));
  h.step();
  const of = (p: { id: number }) => h.state.players.get(String(p.id))!;
  return { h, players, of };
}

/** The keys of `map` whose entity the server decided `player` sees. */
function seenKeys(h: ReturnType<typeof setup>['h'], player: { id: number; name: string }, map: 'players' | 'projectiles'): string[] {
  const visible = h.room.visibleTo(player)!;
  const keys: string[] = [];
  (h.state as BigWorldState)[map].forEach((e, k) => void (visible.has(e) && keys.push(k)));
  return keys.sort();
}

const mirrorKeys = (mirror: BigWorldState, map: 'players' | 'projectiles') => [...mirror[map].keys()].sort();

describe('interest: entering and leaving a view', () => {
  it('an entity enters at the view edge, whole, and leaves only beyond the margin', () => {
    const { h, players, of } = setup(2);
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    place(of(a), 4000, 4000);
    place(of(b), 4000 + HALF_W + 10, 4000);
    h.step();
    expect(a.mirror.players.has(String(b.id))).toBe(false); // 10 units beyond the edge: unseen
    expect(a.mirror.players.has(String(a.id))).toBe(true); // a player always sees themself

    place(of(b), 4000 + HALF_W - 5, of(b).y); // inside the rectangle: enters
    of(b).score = 7;
    h.step();
    expect(a.mirror.players.get(String(b.id))?.toJSON()).toEqual(of(b).toJSON()); // every field, not just what changed

    for (const dx of [HALF_W + 20, HALF_W + MARGIN - 1, HALF_W - 1, HALF_W + MARGIN - 1]) {
      place(of(b), 4000 + dx, of(b).y); // to and fro across the edge, within the margin: stays
      h.step();
      expect(a.mirror.players.get(String(b.id))?.x).toBe(of(b).x);
    }

    place(of(b), 4000 + HALF_W + MARGIN + 5, of(b).y); // beyond the margin: removed
    h.step();
    expect(a.mirror.players.has(String(b.id))).toBe(false);

    place(of(b), 4000 + HALF_W + 20, of(b).y); // back within the margin but outside the rectangle: not yet
    h.step();
    expect(a.mirror.players.has(String(b.id))).toBe(false);
  });

  it('a projectile is seen where it flies: one shot from off screen arrives whole as it enters, and goes when it expires', () => {
    const { h, players, of } = setup(2);
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    place(of(a), 4000, 3600); // a stands 400 units off the line of fire
    place(of(b), 4000 + HALF_W + 300, 4000); // b outside a's view
    h.step();
    b.input({ ...still, aim: Math.PI, fire: true }); // fires towards -x at 600 units/s (20 a tick)
    h.step();
    const [id] = [...h.state.projectiles.keys()];
    expect(a.mirror.projectiles.has(id!)).toBe(false); // 1260 units right of a: out of view
    h.step(13); // 260 units flown: still 1000 right of a's centre, beyond the 960 half-width
    expect(a.mirror.projectiles.has(id!)).toBe(false);
    h.step(3); // 320 flown: 940 right of a, inside the view
    expect(a.mirror.projectiles.get(id!)?.toJSON()).toEqual(h.state.projectiles.get(id!)!.toJSON());
    h.stepSeconds(1); // expired: removed from the state and from a's mirror
    expect(h.state.projectiles.size).toBe(0);
    expect(a.mirror.projectiles.size).toBe(0);
  });

  it('a player who leaves the room is removed from the mirrors that saw them', () => {
    const { h, players, of } = setup(2);
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    place(of(a), 4000, 4000);
    place(of(b), 4100, 4000);
    h.step();
    expect(a.mirror.players.has(String(b.id))).toBe(true);
    b.leave();
    h.step(2);
    expect(a.mirror.players.has(String(b.id))).toBe(false);
  });

  it('a newcomer is welcomed with what is in its view only', () => {
    const { h, players, of } = setup(3);
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    place(of(a), 1000, 1000);
    place(of(b), 7000, 7000);
    h.step();
    const late = h.join('late');
    h.step();
    const mine = of(late);
    const keys = mirrorKeys(late.mirror as BigWorldState, 'players');
    expect(keys).toEqual(seenKeys(h, late, 'players'));
    expect(keys).toContain(String(late.id));
    for (const k of keys) {
      const p = h.state.players.get(k)!;
      expect(Math.abs(p.x - mine.x)).toBeLessThanOrEqual(HALF_W);
    }
  });
});

describe('interest: state integrity (STATE_HASH) per view', () => {
  it("each client's hash is of its own view, on a tick of its own; a corrupted mirror is repaired with its view", () => {
    const { h, players, of } = setup(24, 5);
    players.forEach((p, i) => place(of(p), 2500 + ((i * 373) % 3000), 2500 + ((i * 619) % 3000)));
    const inputs = (t: number) =>
      players.forEach((p, i) => p.input({ dx: ((i + (t >> 4)) % 3) - 1, dy: ((i * 7 + (t >> 5)) % 3) - 1, aim: (t + i) / 7, fire: (t + i) % 11 === 0 }));
    const start = h.tick;
    for (let t = 0; t < 150; t++) {
      inputs(t);
      h.step();
    }
    // Every hash (the whole state's would match no one: each mirror holds only its view) matched.
    const hashTicks = new Map<number, number>();
    for (const p of players) {
      expect(p.desyncs).toBe(0);
      expect(p.hashesChecked).toBeGreaterThanOrEqual(9); // one every 15 ticks
      p.received.forEach((m, i) => {
        if (m.type !== ServerMessage.STATE_HASH || m.tick <= start) return;
        hashTicks.set(m.tick, (hashTicks.get(m.tick) ?? 0) + 1);
        // Computed after its tick, it rides in front of the next tick's patch, in the same write.
        expect(p.received[i - 1]).toMatchObject({ type: ServerMessage.PATCH, tick: m.tick });
        expect(p.received[i + 1]).toMatchObject({ type: ServerMessage.PATCH, tick: m.tick + 1 });
      });
    }
    // Spread over the 15-tick cycle: 24 players by id, at most 2 on one tick.
    expect(Math.max(...hashTicks.values())).toBeLessThanOrEqual(2);
    expect(new Set([...hashTicks.keys()].map((t) => t % 15)).size).toBe(15);

    // One client's mirror goes wrong: its next hash finds it, and the full state it gets is its view.
    const victim = players[3]!;
    const mirror = victim.mirror as BigWorldState;
    mirror.players.get(String(victim.id))!.hp = 1;
    let t = 150;
    while (victim.desyncs === 0 && t < 170) {
      inputs(t++);
      h.step();
    }
    expect(victim.desyncs).toBe(1);
    inputs(t++);
    h.step(); // the RESYNC follows the next tick's patch
    const repaired = victim.mirror as BigWorldState;
    expect(victim.received.some((m) => m.type === ServerMessage.RESYNC)).toBe(true);
    for (const map of ['players', 'projectiles'] as const) {
      expect(mirrorKeys(repaired, map)).toEqual(seenKeys(h, victim, map));
      for (const k of mirrorKeys(repaired, map)) expect(repaired[map].get(k)!.toJSON()).toEqual(h.state[map].get(k)!.toJSON());
    }
    const checked = victim.hashesChecked;
    for (let end = t + 31; t < end; t++) {
      inputs(t);
      h.step();
    }
    expect(victim.hashesChecked).toBeGreaterThanOrEqual(checked + 2);
    expect(victim.desyncs).toBe(1);
    for (const p of players) if (p !== victim) expect(p.desyncs).toBe(0);
  });
});

describe('interest: every mirror equals what the server decided its client sees', () => {
  it('24 players milling about for 5 s: mirrors equal their views, field for field, tick after tick', () => {
    // Crowded into a 3000-unit square so that views overlap, entities cross edges and shots fly.
    const { h, players, of } = setup(24, 7);
    players.forEach((p, i) => place(of(p), 2500 + ((i * 373) % 3000), 2500 + ((i * 619) % 3000)));
    let checked = 0;
    for (let t = 0; t < 150; t++) {
      players.forEach((p, i) => p.input({ dx: ((i + (t >> 4)) % 3) - 1, dy: ((i * 7 + (t >> 5)) % 3) - 1, aim: (t + i) / 7, fire: (t + i) % 11 === 0 }));
      h.step();
      for (const p of players) {
        const mirror = p.mirror as BigWorldState;
        for (const map of ['players', 'projectiles'] as const) {
          const keys = seenKeys(h, p, map);
          expect(mirrorKeys(mirror, map)).toEqual(keys);
          for (const k of keys) expect(mirror[map].get(k)!.toJSON()).toEqual(h.state[map].get(k)!.toJSON());
          checked += keys.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(150 * 24 * 2); // views were never trivially empty
    expect(h.state.projectiles.size).toBeGreaterThan(0);
  });
});
