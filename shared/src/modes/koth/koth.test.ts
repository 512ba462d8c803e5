/**
 * King of the hill through the headless harness: the real room, fake players, simulated time.
 * Every test is deterministic: the seed fixes the hill and the spawns, inputs fix the rest.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../mode-api/random';
import { PATCH_HEADER_BYTES } from '../../protocol/messages';
import { createHarness, type FakePlayer, type Harness } from '@tickforge/server/harness';
import {
  HILL_MARGIN,
  HILL_RADIUS,
  INTERMISSION_SECONDS,
  KNOCKBACK_DISTANCE,
  Phase,
  ROUND_SECONDS,
  TICK_RATE,
  WIN_POINTS,
  WORLD_SIZE,
  insideHill,
  koth,
  leaderOf,
  placeHill,
  spawnPoint,
  secondsLeft,
  type KothInput,
  type KothState,
} from '.';

type H = Harness<KothState, KothInput>;
type P = FakePlayer<KothState, KothInput>;

const ROUND_TICKS = ROUND_SECONDS * TICK_RATE;

function start(seed = 7): H {
  return createHarness(koth, { seed });
}

/** A room with alice and bob seated (one tick stepped). */
function aliceAndBob(seed = 7): { h: H; alice: P; bob: P } {
  const h = start(seed);
  const alice = h.join('alice');
  const bob = h.join('bob');
  h.step();
  return { h, alice, bob };
}

function me(h: H, p: P) {
  const entry = h.state.players.get(String(p.id));
  if (!entry) throw new Error(`${p.name} is not in the state`);
  return entry;
}

/** Steers `p` one tick at a time, as a client would, until it is within 8 units of (x, y) on each axis (a step is 12). */
function walkTo(h: H, p: P, x: number, y: number): void {
  for (let i = 0; i < 40 * TICK_RATE; i++) {
    const at = me(h, p);
    const dx = Math.abs(x - at.x) > 8 ? Math.sign(x - at.x) : 0;
    const dy = Math.abs(y - at.y) > 8 ? Math.sign(y - at.y) : 0;
    if (dx === 0 && dy === 0) return;
    p.input({ dx, dy, push: false });
    h.step();
  }
  throw new Error(`${p.name} never reached ${x},${y}`);
}

function expectMirrorsInSync(h: H): void {
  const truth = h.state.toJSON();
  for (const p of h.players) if (!p.closed) expect(p.mirror.toJSON()).toEqual(truth);
}

describe('koth rounds', () => {
  it('starts round 1 at creation with the round timer and a hill inside the margins', () => {
    const h = start();
    const alice = h.join('alice');
    h.step();
    expect(h.state.round).toBe(1);
    expect(h.state.phase).toBe(Phase.PLAYING);
    expect(h.state.phaseEndsAtTick).toBe(ROUND_TICKS);
    for (const c of [h.state.hillX, h.state.hillY]) {
      expect(c).toBeGreaterThanOrEqual(HILL_MARGIN - 0.1);
      expect(c).toBeLessThanOrEqual(WORLD_SIZE - HILL_MARGIN + 0.1);
    }
    const a = me(h, alice);
    expect(a.score).toBe(0);
    expect(insideHill(a.x, a.y, h.state.hillX, h.state.hillY)).toBe(false);
    // What alice's client decoded from the welcome and the patches equals the server's state.
    expectMirrorsInSync(h);
    expect(alice.mirror.players.get(String(alice.id))?.name).toBe('alice');
  });

  it('a client shows the timer from the tick number of each patch; an idle tick costs only the header', () => {
    const h = start();
    const alice = h.join('alice');
    h.step(2);
    const before = alice.patchSizes.length;
    h.step(TICK_RATE * 3);
    // Nobody moves: the running round clock adds nothing to the patches (6-byte header, empty body).
    expect(alice.patchSizes.slice(before).every((n) => n === PATCH_HEADER_BYTES)).toBe(true);
    const last = alice.received.at(-1)!;
    expect(last.type).toBe(0x02);
    const tick = (last as { tick: number }).tick;
    expect(tick).toBe(h.tick);
    expect(secondsLeft(alice.mirror.phaseEndsAtTick, tick, TICK_RATE)).toBeCloseTo(ROUND_SECONDS - (TICK_RATE * 3 + 2) / TICK_RATE, 6);
  });

  it('a player alone on the hill earns one point per second held, and holds it', () => {
    const h = start();
    const alice = h.join('alice');
    h.step();
    walkTo(h, alice, h.state.hillX, h.state.hillY);
    expect(h.state.holder).toBe(alice.id);
    const held = me(h, alice).heldTicks;
    expect(held).toBeGreaterThan(0);
    h.step(TICK_RATE * 5);
    expect(me(h, alice).heldTicks).toBe(held + TICK_RATE * 5);
    expect(me(h, alice).score).toBe(Math.floor((held + TICK_RATE * 5) / TICK_RATE));
    expect(h.state.contested).toBe(false);
    expectMirrorsInSync(h);
  });

  it('two players on the hill contest it and neither scores', () => {
    const { h, alice, bob } = aliceAndBob();
    walkTo(h, alice, h.state.hillX, h.state.hillY);
    const aliceScore = me(h, alice).score;
    walkTo(h, bob, h.state.hillX + 40, h.state.hillY);
    expect(h.state.contested).toBe(true);
    expect(h.state.holder).toBe(0);
    const held = [me(h, alice).heldTicks, me(h, bob).heldTicks];
    h.step(TICK_RATE * 4);
    expect([me(h, alice).heldTicks, me(h, bob).heldTicks]).toEqual(held);
    expect(me(h, alice).score).toBe(aliceScore);
    expectMirrorsInSync(h);
  });

  it('the holder leaving frees the hill at the next tick', () => {
    const { h, alice, bob } = aliceAndBob();
    walkTo(h, alice, h.state.hillX, h.state.hillY);
    expect(h.state.holder).toBe(alice.id);
    alice.leave();
    expect(alice.closed?.code).toBe(1000);
    h.step();
    expect(h.state.players.has(String(alice.id))).toBe(false);
    expect(h.state.holder).toBe(0);
    expectMirrorsInSync(h); // bob's
    expect(bob.mirror.players.size).toBe(1);
  });
});

describe('koth pushes', () => {
  function faceOff(): { h: H; alice: P; bob: P } {
    const { h, alice, bob } = aliceAndBob();
    // Test setup writes the authoritative state directly: alice and bob 30 units apart mid-world.
    Object.assign(me(h, alice), { x: 600, y: 600 });
    Object.assign(me(h, bob), { x: 630, y: 600 });
    return { h, alice, bob };
  }

  it('shoves every player within reach KNOCKBACK_DISTANCE away, who cannot steer meanwhile', () => {
    const { h, alice, bob } = faceOff();
    alice.input({ dx: 0, dy: 0, push: true });
    bob.input({ dx: -1, dy: 0, push: false }); // ignored while sliding
    h.step();
    expect(me(h, alice).pushTick).toBe(h.tick);
    h.step(Math.round(0.3 * TICK_RATE));
    expect(me(h, bob).x).toBeCloseTo(630 + KNOCKBACK_DISTANCE, 1);
    expect(me(h, bob).y).toBeCloseTo(600, 1);
    expect(me(h, alice).x).toBeCloseTo(600, 1);
    // Knockback over: bob steers again.
    const x = me(h, bob).x;
    bob.input({ dx: -1, dy: 0, push: false });
    h.step();
    expect(me(h, bob).x).toBeLessThan(x);
    expectMirrorsInSync(h);
  });

  it('has a cooldown, and does nothing to players out of reach', () => {
    const { h, alice, bob } = faceOff();
    alice.input({ dx: 0, dy: 0, push: true });
    h.step();
    const firstPush = h.tick;
    expect(me(h, alice).pushTick).toBe(firstPush);
    h.step(9);
    Object.assign(me(h, bob), { x: 640 }); // back within reach
    alice.input({ dx: 0, dy: 0, push: true }); // half a second later: still cooling down
    h.step(10);
    expect(me(h, alice).pushTick).toBe(firstPush);
    expect(me(h, bob).x).toBeCloseTo(640, 1);
    h.step(TICK_RATE); // now past the 1.5 s cooldown
    Object.assign(me(h, bob), { x: 671 }); // just out of reach (70)
    alice.input({ dx: 0, dy: 0, push: true });
    h.step();
    expect(me(h, alice).pushTick).toBe(h.tick);
    h.step(10);
    expect(me(h, bob).x).toBeCloseTo(671, 1);
  });
});

describe('koth round end and restart', () => {
  it('the first to WIN_POINTS wins; the intermission shows the winner; then round 2 restarts', () => {
    const { h, alice, bob } = aliceAndBob();
    walkTo(h, alice, h.state.hillX, h.state.hillY);
    const held = me(h, alice).heldTicks;
    const reachedAt = h.tick + (WIN_POINTS * TICK_RATE - held);
    h.stepUntil((s) => s.phase === Phase.INTERMISSION);
    expect(h.tick).toBe(reachedAt);
    expect(me(h, alice).score).toBe(WIN_POINTS);
    expect(h.state.winner).toBe(alice.id);
    expect(h.state.winnerName).toBe('alice');
    expect(h.state.holder).toBe(0);
    expect(h.state.phaseEndsAtTick).toBe(h.tick + INTERMISSION_SECONDS * TICK_RATE);
    expect(h.state.round).toBe(1);
    expectMirrorsInSync(h);
    expect(bob.mirror.winnerName).toBe('alice');

    // Intermission: nothing scores, pushes do nothing, players may walk about.
    const hill = { x: h.state.hillX, y: h.state.hillY };
    const pushTick = me(h, alice).pushTick;
    alice.input({ dx: 0, dy: 0, push: true });
    bob.input({ dx: 1, dy: 0, push: false });
    const bobX = me(h, bob).x;
    h.step(TICK_RATE * 2);
    expect(me(h, alice).pushTick).toBe(pushTick);
    expect(me(h, alice).heldTicks).toBe(WIN_POINTS * TICK_RATE);
    expect(me(h, bob).x).not.toBe(bobX);

    const waited = h.stepUntil((s) => s.phase === Phase.PLAYING);
    expect(h.tick).toBe(reachedAt + INTERMISSION_SECONDS * TICK_RATE);
    expect(waited).toBe(INTERMISSION_SECONDS * TICK_RATE - TICK_RATE * 2);
    expect(h.state.round).toBe(2);
    expect(h.state.phaseEndsAtTick).toBe(h.tick + ROUND_TICKS);
    expect({ x: h.state.hillX, y: h.state.hillY }).not.toEqual(hill);
    for (const p of [alice, bob]) {
      const entry = me(h, p);
      expect([entry.score, entry.heldTicks, entry.pushTick]).toEqual([0, 0, 0]);
      expect(insideHill(entry.x, entry.y, h.state.hillX, h.state.hillY)).toBe(false);
    }
    expectMirrorsInSync(h);
  });

  it('when the round timer runs out, the best score wins', () => {
    const { h, alice, bob } = aliceAndBob(3);
    const { hillX, hillY } = h.state;
    const off = hillX > WORLD_SIZE / 2 ? hillX - HILL_RADIUS - 50 : hillX + HILL_RADIUS + 50;
    walkTo(h, alice, hillX, hillY);
    h.step(TICK_RATE * 5);
    walkTo(h, alice, off, hillY);
    walkTo(h, bob, hillX, hillY);
    h.step(TICK_RATE * 2);
    walkTo(h, bob, off, hillY + 60);
    expect(me(h, alice).score).toBeGreaterThan(me(h, bob).score);
    expect(me(h, bob).score).toBeGreaterThan(0);
    h.stepUntil((s) => s.phase === Phase.INTERMISSION);
    expect(h.tick).toBe(ROUND_TICKS);
    expect(h.state.winner).toBe(alice.id);
    expect(alice.mirror.winnerName).toBe('alice');
  });

  it('a round in which nobody scored ends in a draw when the timer runs out', () => {
    const h = start();
    const alice = h.join('alice');
    h.step();
    h.stepUntil((s) => s.phase === Phase.INTERMISSION);
    expect(h.tick).toBe(ROUND_TICKS);
    expect(h.state.winner).toBe(0);
    expect(alice.mirror.winnerName).toBe('');
  });

  it('a player joining mid-round spawns off the hill with no points; timers follow the room tick rate', () => {
    const h = createHarness(koth, { seed: 5, tickRate: 10 });
    h.join('alice');
    h.step(50);
    const bob = h.join('bob');
    h.step();
    const b = me(h, bob);
    expect(b.score).toBe(0);
    expect(insideHill(b.x, b.y, h.state.hillX, h.state.hillY)).toBe(false);
    expect(h.state.round).toBe(1);
    expect(h.state.phaseEndsAtTick).toBe(ROUND_SECONDS * 10);
    expectMirrorsInSync(h);
  });
});

describe('koth determinism and rules', () => {
  function scripted(seed: number) {
    const { h, alice, bob } = aliceAndBob(seed);
    for (let i = 0; i < TICK_RATE * 20; i++) {
      alice.input({ dx: i % 40 < 20 ? 1 : -1, dy: 1, push: i % 25 === 0 });
      bob.input({ dx: -1, dy: i % 30 < 15 ? -1 : 1, push: i % 17 === 0 });
      h.step();
    }
    return { state: JSON.stringify(h.state.toJSON()), patches: alice.patchSizes.join(',') };
  }

  it('replays identically from the same seed; another seed moves the hill', () => {
    const a = scripted(11);
    expect(scripted(11)).toEqual(a);
    expect(scripted(12).state).not.toBe(a.state);
  });

  it('leaderOf: the strictly best positive score, else nobody', () => {
    expect(leaderOf([{ score: 3 }, { score: 5 }, { score: 1 }])).toEqual({ score: 5 });
    expect(leaderOf([{ score: 5 }, { score: 5 }, { score: 1 }])).toBeUndefined();
    expect(leaderOf([{ score: 0 }, { score: 0 }])).toBeUndefined();
    expect(leaderOf([])).toBeUndefined();
  });

  it('hills keep their margin and spawns never land on the hill', () => {
    const random = seededRandom(99);
    const hill = { x: 0, y: 0 };
    const at = { x: 0, y: 0 };
    for (let i = 0; i < 2000; i++) {
      placeHill(random, hill);
      expect(Math.min(hill.x, hill.y)).toBeGreaterThanOrEqual(HILL_MARGIN - 0.1);
      expect(Math.max(hill.x, hill.y)).toBeLessThanOrEqual(WORLD_SIZE - HILL_MARGIN + 0.1);
      spawnPoint(random, hill.x, hill.y, at);
      expect(insideHill(at.x, at.y, hill.x, hill.y)).toBe(false);
    }
  });
});
