/**
 * Prediction and reconciliation of the own player against the real authoritative room (the mode
 * harness), with the browser client's Predictor and arena's shared movement rule.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { Predictor, encodeInput, seededRandom } from '@tickforge/shared';
import { ArenaInput, arena, movePlayer, type ArenaState } from '@tickforge/shared/modes/arena/index';

const DT = 1 / arena.tickRate;
const step = (p: { x: number; y: number }, i: ArenaInput, dt: number) => void movePlayer(p, i.dx, i.dy, dt);

/** A walk with every direction, diagonals and stops, changing every few frames. */
function walk(seed: number): (frame: number) => ArenaInput {
  const random = seededRandom(seed);
  let current: ArenaInput = { dx: 1, dy: 0, aim: 0, fire: false };
  return (frame) => {
    if (frame % 7 === 0) current = { dx: Math.floor(random() * 3) - 1, dy: Math.floor(random() * 3) - 1, aim: random() * 6, fire: false };
    return current;
  };
}

function setup() {
  const h = createHarness(arena, { seed: 5 });
  const alice = h.join('alice');
  h.step(); // seated and welcomed
  const me = () => (alice.mirror as ArenaState).players.get(String(alice.id))!;
  const predictor = new Predictor<ArenaInput>({ step, dt: DT });
  predictor.reset({ x: me().x, y: me().y });
  return { h, alice, me, predictor };
}

describe('reconciliation against the authoritative room', () => {
  it('never corrects with no latency: the prediction equals the server after every tick', () => {
    const { h, alice, me, predictor } = setup();
    const input = walk(1);
    let moved = 0;
    for (let frame = 0; frame < 300; frame++) {
      const i = input(frame);
      const before = predictor.predicted.x + predictor.predicted.y;
      predictor.apply(alice.input(i), i);
      moved += Math.abs(predictor.predicted.x + predictor.predicted.y - before);
      h.step();
      // (The harness's float clock sometimes runs a tick one step late, leaving a frame unacked.)
      expect(alice.ack).toBeGreaterThanOrEqual(frame);
      expect(predictor.reconcile(alice.ack, me())).toBe(0);
      if (alice.ack === frame + 1) expect(predictor.predicted).toEqual({ x: me().x, y: me().y });
    }
    h.step();
    expect(alice.ack).toBe(300);
    expect(predictor.reconcile(alice.ack, me())).toBe(0);
    expect(predictor.predicted).toEqual({ x: me().x, y: me().y });
    expect(moved).toBeGreaterThan(500); // it did walk
    expect(predictor.corrections).toBe(0);
    h.dispose();
  });

  it('never corrects with latency and jitter both ways (inputs in order, each applied once)', () => {
    const { h, alice, me, predictor } = setup();
    const input = walk(2);
    const random = seededRandom(9);
    let seq = 0;
    const up: { at: number; bytes: Uint8Array }[] = [];
    const down: { at: number; ack: number; x: number; y: number }[] = [];
    let lastUp = 0;
    let lastDown = 0;
    let reconciled = 0;
    for (let frame = 0; frame < 400; frame++) {
      const i = input(frame);
      seq++;
      predictor.apply(seq, i);
      // 2–6 ticks upstream, 2–5 downstream, order kept (one TCP stream each way).
      lastUp = Math.max(lastUp, frame + 2 + Math.floor(random() * 5));
      up.push({ at: lastUp, bytes: encodeInput(ArenaInput, seq, i) });
      while (up.length > 0 && up[0]!.at <= frame) alice.sendRaw(up.shift()!.bytes);
      h.step();
      lastDown = Math.max(lastDown, frame + 2 + Math.floor(random() * 4));
      down.push({ at: lastDown, ack: alice.ack, x: me().x, y: me().y });
      while (down.length > 0 && down[0]!.at <= frame) {
        const p = down.shift()!;
        expect(predictor.reconcile(p.ack, p)).toBe(0);
        reconciled++;
      }
    }
    expect(reconciled).toBeGreaterThan(380);
    expect(predictor.corrections).toBe(0);
    expect(predictor.pendingCount).toBeGreaterThan(2); // there really was latency to hide
    h.dispose();
  });

  it('converges after a forced correction: smoothed when small, snapped when large', () => {
    const { h, alice, me, predictor } = setup();
    const still: ArenaInput = { dx: 0, dy: 0, aim: 0, fire: false };
    const tick = () => {
      predictor.apply(alice.input(still), still);
      h.step();
      return predictor.reconcile(alice.ack, me());
    };
    tick();
    const server = (h.state as ArenaState).players.get(String(alice.id))!;
    const drawn = predictor.display({ x: 0, y: 0 });
    // The server moves the player (as a respawn does: a new motion segment from there).
    server.x = server.sx = server.x > 1000 ? server.x - 30 : server.x + 30;
    expect(tick()).toBeGreaterThan(29);
    expect(predictor.corrections).toBe(1);
    expect(predictor.snaps).toBe(0);
    // Nothing jumps on screen...
    expect(predictor.display({ x: 0, y: 0 }).x).toBeCloseTo(drawn.x, 6);
    // ...and within half a second of frames the drawn position is the server's.
    for (let f = 0; f < 30; f++) predictor.decay(1000 / 60);
    expect(Math.abs(predictor.display({ x: 0, y: 0 }).x - me().x)).toBeLessThan(0.5);
    for (let f = 0; f < 10; f++) expect(tick()).toBe(0);
    expect(predictor.corrections).toBe(1);

    server.y = server.sy = server.y > 1000 ? server.y - 600 : server.y + 600; // a respawn-sized move
    expect(tick()).toBeGreaterThan(599);
    expect(predictor.snaps).toBe(1);
    expect(predictor.display({ x: 0, y: 0 })).toEqual({ x: me().x, y: me().y });
    h.dispose();
  });
});
