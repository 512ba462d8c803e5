/**
 * The headless harness and the guarantees a mode relies on: the engine validates input before a
 * mode sees it, a throwing hook closes only its room (4010, the mode named), and time only moves
 * when the test steps it.
 */
import { describe, expect, it } from 'vitest';
import { schema, t } from '@colyseus/schema';
import { ClientMessage, CloseCode, defineInput, defineMode, field, type ModeDefinition } from '@tickforge/shared';
import { createHarness } from '../../src/harness';
import { arena } from '@tickforge/shared/modes/arena/index';

const Dot = schema({ name: t.string(), x: t.int16() }, 'Dot');
const DotsState = schema({ dots: t.map(Dot), ticks: t.uint32().default(0) }, 'DotsState');
const DotsInput = defineInput({ dx: field.int8({ min: -1, max: 1 }) });

type Hook = 'create' | 'join' | 'leave' | 'tick';

/** A minimal mode that records what its hooks saw, and throws from `failIn` when asked. */
function dots(failIn?: Hook) {
  const seen: Array<{ player: number; dx: number }> = [];
  const fail = (hook: Hook) => {
    if (hook === failIn) throw new Error(`dots: ${hook} failed`);
  };
  const mode = defineMode({
    name: 'dots',
    title: 'Dots',
    tickRate: 10,
    maxPlayers: 4,
    State: DotsState,
    input: DotsInput,
    create: () => fail('create'),
    join(state, player) {
      const d = new Dot();
      d.name = player.name;
      d.x = 0;
      state.dots.set(String(player.id), d);
      if (player.id > 1) fail('join');
    },
    leave(state, player) {
      state.dots.delete(String(player.id));
      fail('leave');
    },
    tick(state, inputs) {
      state.ticks += 1;
      for (const { player, input } of inputs) {
        seen.push({ player: player.id, dx: input.dx });
        state.dots.get(String(player.id))!.x += input.dx;
      }
      if (state.ticks === 20) fail('tick');
    },
  });
  return { mode, seen };
}

describe('harness', () => {
  it('runs ticks only when stepped, and mirrors decode the patches each client received', () => {
    const { mode } = dots();
    const h = createHarness(mode, { seed: 1 });
    const a = h.join('a');
    const b = h.join('b');
    expect(h.tick).toBe(0);
    h.step();
    a.input({ dx: 1 });
    a.input({ dx: 1 });
    b.input({ dx: -1 });
    h.stepSeconds(0.5);
    expect(h.tick).toBe(6);
    expect(h.state.dots.get(String(a.id))!.x).toBe(2);
    expect(a.ack).toBe(2);
    expect(b.ack).toBe(1);
    for (const p of h.players) expect(p.mirror.toJSON()).toEqual(h.state.toJSON());
    expect(a.patchSizes.length).toBe(5); // tick 1 brought the welcome, ticks 2..6 patches
    expect(h.stepUntil((s) => s.ticks === 9)).toBe(3);
    expect(() => h.stepUntil(() => false, 5)).toThrow('condition still false after 5 ticks');
  });

  it('the engine refuses invalid input before the mode sees it, closing only that player', () => {
    const { mode, seen } = dots();
    const h = createHarness(mode);
    const a = h.join('a');
    const b = h.join('b');
    h.step();
    a.sendRaw(Uint8Array.of(ClientMessage.INPUT, 1, 0, 0, 0, 0, 0, 5)); // seq 1, view tick 0, dx = 5 (outside -1..1)
    b.input({ dx: 1 });
    h.step();
    expect(a.closed).toEqual({ code: CloseCode.INVALID_DATA, reason: expect.stringContaining('"dx"') });
    expect(seen).toEqual([{ player: b.id, dx: 1 }]);
    expect(h.state.dots.has(String(a.id))).toBe(false);
    expect(b.closed).toBeUndefined();
    expect(h.error).toBeUndefined();
  });

  for (const hook of ['create', 'join', 'leave', 'tick'] as const) {
    it(`a throw in the ${hook} hook closes the room with 4010 naming the mode; the error is kept`, () => {
      const { mode } = dots(hook);
      const errors: unknown[] = [];
      const h = createHarness(mode as ModeDefinition<any, any>, { onError: (e) => errors.push(e) });
      if (hook === 'create') {
        expect(() => h.join('a')).toThrow('harness could not seat a: room closed');
      } else {
        const a = h.join('a');
        const b = h.join('b');
        if (hook === 'leave') {
          h.step();
          b.disconnect();
        }
        if (hook === 'tick') expect(() => h.stepUntil(() => false)).toThrow(/room closed after/);
        else h.step(2);
        expect(a.closed).toEqual({ code: CloseCode.ROOM_CRASHED, reason: expect.stringMatching(/^game mode "dots" failed at tick \d+$/) });
      }
      expect(h.error).toBeInstanceOf(Error);
      expect((h.error as Error).message).toBe(`dots: ${hook} failed`);
      expect(errors).toEqual([h.error]);
      expect(h.room.isDisposed).toBe(true);
      const tick = h.tick;
      h.step(5);
      expect(h.tick).toBe(tick);
    });
  }
});

describe('defineMode', () => {
  const base = { name: 'ok', title: 'Ok', tickRate: 20, maxPlayers: 2, State: DotsState, input: DotsInput, join() {}, leave() {}, tick() {} };
  it('refuses a bad definition at startup, naming the problem', () => {
    expect(() => defineMode({ ...base, name: 'Bad Name' })).toThrow(/must match/);
    expect(() => defineMode({ ...base, tickRate: 0 })).toThrow('mode "ok": tickRate must be an integer 1..128');
    expect(() => defineMode({ ...base, maxPlayers: 1.5 })).toThrow(/maxPlayers/);
    expect(() => defineMode({ ...base, title: ' ' })).toThrow(/title/);
    expect(() => defineMode({ ...base, world: { width: 0, height: 10 } })).toThrow(/world must have/);
    expect(() => defineMode({ ...base, State: class {} as never })).toThrow(/State must be a class made with/);
    expect(() => defineMode({ ...base, tick: undefined as never })).toThrow('mode "ok": the tick hook must be a function');
    expect(() => defineMode({ ...base, create: 1 as never })).toThrow('mode "ok": the create hook must be a function');
    expect(() => defineMode({ ...base, async tick() {} })).toThrow('mode "ok": the tick hook must be synchronous (not async)');
    const huge = defineInput(Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`f${i}`, field.float32({ min: 0, max: 1 })])));
    expect(() => defineMode({ ...base, input: huge as never })).toThrow(/input is 520 bytes; at most 505/);
    expect(Object.isFrozen(defineMode(base))).toBe(true);
  });
});

describe('harness stepping', () => {
  it('runs exactly one tick per step, however long it goes (no float drift of 33.3 ms sums)', () => {
    const h = createHarness(arena, { seed: 5 });
    h.join('a');
    let slips = 0;
    for (let i = 1; i <= 3000; i++) {
      h.step();
      if (h.tick !== i) slips++;
    }
    expect(slips).toBe(0);
    h.step(7);
    expect(h.tick).toBe(3007);
  });
});
