/**
 * What docs/protocol.md and docs/game-modes.md state about the wire, checked on a harness room:
 * the cost table of protocol.md §3, the close reasons the docs quote, and that CHAT comes back to
 * its sender. A change that breaks one of these must update the docs with it.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { arena, type ArenaInput } from '../modes/arena/index';
import { ClientMessage, CloseCode, ServerMessage } from './constants';
import { PATCH_HEADER_BYTES, encodeInput } from './messages';

const HEADER = PATCH_HEADER_BYTES;
const still: ArenaInput = { dx: 0, dy: 0, aim: 0, fire: false };

function room() {
  const h = createHarness(arena, { seed: 1 });
  const watcher = h.join('watcher');
  const alice = h.join('alice');
  h.step();
  const me = h.state.players.get(String(alice.id))!;
  // Placed as a respawn places a player: a standing segment there.
  me.x = me.sx = 1000;
  me.y = me.sy = 1000;
  h.step();
  /** State bytes of the next tick's patch, as the watcher receives it. */
  const cost = (act: () => void) => {
    act();
    h.step();
    return watcher.patchSizes.at(-1)! - HEADER;
  };
  return { h, watcher, alice, me, cost };
}

describe('the cost table of docs/protocol.md §3', () => {
  it('walking, turning, gaps, aim, scoring', () => {
    const { h, alice, me, cost } = room();
    const walk = { ...still, dx: 1, dy: 1 };
    expect(cost(() => alice.input({ ...still, dx: 1 }))).toBe(7); // starts walking from where it stood: direction and since
    expect(cost(() => alice.input({ ...still, dx: 1 }))).toBe(0); // walks on along it
    expect(cost(() => alice.input(walk))).toBe(10); // turns: y of the start unchanged
    // (A tick in which the server applies no input of a player costs 5, `since` moving; with the
    // input buffer of protocol 4 a frame that is one tick late is not such a tick: see arena.test.ts.)
    for (let i = 0; i < 3; i++) alice.input(walk); // catch up the credits, then walk on
    h.step(3);
    const aimed = [0, 1, 2].map(() => cost(() => alice.input({ ...walk, aim: 1 })));
    expect(aimed.filter((n) => n > 0)).toEqual([4]); // at its own cadence: once in 3 ticks, alone 4
    const on = { ...walk, aim: 1 }; // walking on, the aim as it is
    expect(cost(() => (alice.input(on), (me.hp = 50)))).toBe(4);
    expect(cost(() => (alice.input(on), (me.score = 2)))).toBe(5);
    expect(cost(() => (alice.input(on), (me.hp = 40), (me.score = 3)))).toBe(7);
  });

  it('a player joins (name "bobby"), a projectile spawns, flies, goes; a player leaves', () => {
    const { h, alice, me, cost } = room();
    expect(cost(() => h.join('bobby'))).toBe(31);
    expect(cost(() => alice.input({ ...still, fire: true }))).toBe(26);
    expect(cost(() => {})).toBe(0);
    me.x = me.sx = 1995; // the next shot leaves the world at once
    h.step(10);
    expect(cost(() => alice.input({ ...still, fire: true }))).toBe(26);
    expect(cost(() => {})).toBe(4);
    expect(cost(() => h.players[2]!.leave())).toBe(4);
  });
});

describe('the PATCH header the docs quote', () => {
  it('is 6 bytes (u16 tick and ack), sent alone on a tick where nothing changed, with the full tick and ack in the mirror', () => {
    const { h, watcher, alice } = room();
    const seq = alice.input(still);
    h.step(3); // applied; then nothing changes
    expect(PATCH_HEADER_BYTES).toBe(6);
    expect(watcher.patchSizes.at(-1)).toBe(6);
    const last = alice.received.at(-1)!;
    expect(last).toMatchObject({ type: ServerMessage.PATCH, tick: h.tick, ack: seq });
    h.dispose();
  });
});

describe('close reasons and echoes the docs quote', () => {
  it('an input of the wrong length names the lengths, counting the 7 header bytes', () => {
    const { h, alice } = room();
    alice.sendRaw(encodeInput(arena.input, 1, still).subarray(0, 13));
    expect(alice.closed).toEqual({ code: CloseCode.INVALID_DATA, reason: 'input must be 14 bytes, got 13' });
    h.dispose();
  });

  it('a value out of range names the field', () => {
    const { h, alice } = room();
    alice.sendRaw(encodeInput(arena.input, 1, { ...still, dx: 2 }));
    expect(alice.closed).toEqual({ code: CloseCode.INVALID_DATA, reason: 'input field "dx": 2 is outside -1..1' });
    h.dispose();
  });

  it('CHAT goes to every player, its sender included', () => {
    const { watcher, alice } = room();
    alice.chat('hi all');
    for (const p of [alice, watcher]) {
      expect(p.received.at(-1)).toEqual({ type: ServerMessage.CHAT, playerId: alice.id, name: 'alice', text: 'hi all' });
    }
    expect(ClientMessage.CHAT).toBe(0x13);
  });
});
