/**
 * Fairness under interest: a client must not learn what it should not see. This test decodes one
 * client's byte stream (every WELCOME and PATCH it received, in order) with its own decoder and
 * checks, message by message, that each entity the bytes introduce was inside the client's view
 * rectangle at that tick (by the server's truth), that nothing the client holds is beyond the
 * rectangle plus the hysteresis margin, and that no byte addresses an entity the stream never
 * introduced (the decoder reports such a refId as "not found").
 */
import { Decoder } from '@colyseus/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerMessage } from '@tickforge/shared';
import { projectileAt } from '@tickforge/shared/modes/arena/rules';
import { placePlayer } from '@tickforge/shared/modes/arena/shooter';
import { bigworld, BigWorldState, COORD_MAX, TICK_RATE, VIEW_HEIGHT, VIEW_WIDTH, WORLD_SIZE } from '@tickforge/shared/modes/bigworld/index';
import { createHarness } from '../src/harness';

const MARGIN = 0.1 * VIEW_WIDTH;
type Where = { x: number; y: number };

afterEach(() => vi.restoreAllMocks());

describe('fairness: no entity outside a client view in its bytes', () => {
  it("60 players, 8 s: every entity in the watcher's stream was in its view when it arrived", () => {
    const h = createHarness(bigworld, { seed: 11 });
    const players = Array.from({ length: 60 }, (_, i) => h.join(`p${i}`));
    h.step();
    const watcher = players[0]!;
    // The server's truth at each tick: where the watcher and every entity were when it was sent.
    const truth = new Map<number, { me: Where; at: Map<string, Where> }>();
    const record = () => {
      const at = new Map<string, Where>();
      h.state.players.forEach((p, k) => void at.set(`players/${k}`, { x: p.x, y: p.y }));
      h.state.projectiles.forEach((s, k) => void at.set(`projectiles/${k}`, projectileAt(s.x, s.y, s.angle, h.tick - s.spawnTick, TICK_RATE, { x: 0, y: 0 })));
      const me = h.state.players.get(String(watcher.id))!;
      truth.set(h.tick, { me: { x: me.x, y: me.y }, at });
    };
    record(); // the WELCOME's tick
    // Everyone within 2500 units of the watcher, so entities cross its view edges all the time.
    const world = { size: WORLD_SIZE, coordMax: COORD_MAX };
    players.forEach((p, i) => placePlayer(h.state.players.get(String(p.id))!, 2800 + ((i * 811) % 2400), 2800 + ((i * 433) % 2400), world));
    for (let t = 0; t < 240; t++) {
      players.forEach((p, i) => p.input({ dx: ((i + (t >> 4)) % 3) - 1, dy: ((i * 5 + (t >> 5)) % 3) - 1, aim: (t * 3 + i) / 11, fire: (t + i) % 9 === 0 }));
      h.step();
      record();
    }
    const notFound = vi.spyOn(console, 'error');

    const decoder = new Decoder(new BigWorldState());
    const state = decoder.state as BigWorldState;
    const held = new Set<string>();
    let introduced = 0;
    let messages = 0;
    for (const msg of watcher.received) {
      if (msg.type !== ServerMessage.WELCOME && msg.type !== ServerMessage.PATCH) continue;
      expect(msg.type === ServerMessage.PATCH || messages === 0).toBe(true); // no RESYNC in this run
      decoder.decode(msg.state);
      messages++;
      const { me, at } = truth.get(msg.tick)!;
      const now = new Set<string>();
      for (const map of ['players', 'projectiles'] as const) state[map].forEach((_e, k) => void now.add(`${map}/${k}`));
      for (const key of now) {
        const where = at.get(key)!;
        const dx = Math.abs(where.x - me.x);
        const dy = Math.abs(where.y - me.y);
        if (!held.has(key)) {
          introduced++;
          expect(dx <= VIEW_WIDTH / 2 && dy <= VIEW_HEIGHT / 2, `${key} arrived at tick ${msg.tick} ${dx},${dy} from the watcher`).toBe(true);
        }
        expect(dx <= VIEW_WIDTH / 2 + MARGIN && dy <= VIEW_HEIGHT / 2 + MARGIN, `${key} held at tick ${msg.tick}`).toBe(true);
      }
      held.clear();
      for (const k of now) held.add(k);
    }
    expect(notFound).not.toHaveBeenCalled();
    expect(messages).toBe(241);
    expect(introduced).toBeGreaterThan(60); // entities came and went: the check had work to do
    // And the world held far more than the watcher was told of.
    expect(h.state.players.size).toBe(60);
    expect(state.players.size).toBeLessThan(30);
  });
});
