/**
 * Arena's kill feed from the server's kill events, end to end: the real room (the mode harness)
 * emits the kill, the bytes go through the client's GameClient, and the feed names who it decoded.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { HIT_DAMAGE, arena, type ArenaState } from '@tickforge/shared/modes/arena/index';
import { killFeed } from '../src/modes/arena-kills';
import type { FeedEntry } from '../src/modes/mode-client';

/** A feed entry as the kill feed shows it. */
const line = (e: FeedEntry) => e.parts.map((p) => (typeof p === 'string' ? p : p.name)).join('');
const still = { dx: 0, dy: 0, aim: 0, fire: false };

/** alice shoots bob, who is one hit from death; returns the harness once the kill's patch arrived. */
function aliceKillsBob() {
  const h = createHarness(arena, { seed: 42 });
  const [alice, bob, carol] = [h.join('alice'), h.join('bob'), h.join('carol')];
  h.step();
  const of = (id: number) => h.state.players.get(String(id))!;
  Object.assign(of(alice.id), { x: 100, y: 1000 });
  Object.assign(of(bob.id), { x: 200, y: 1000, hp: HIT_DAMAGE });
  alice.input({ ...still, fire: true });
  h.stepUntil(() => of(alice.id).score === 1);
  return { h, alice, bob, carol };
}

describe('arena kill feed (from kill events)', () => {
  it('names the killer and the victim the server reported, at the kill tick', () => {
    const { h, carol } = aliceKillsBob();
    const [kill] = carol.events;
    const feed = killFeed([kill!.event], carol.mirror as ArenaState, kill!.tick);
    expect(feed.map(line)).toEqual(['alice eliminated bob']);
    expect(feed[0]!.tick).toBe(h.tick);
    expect(feed[0]!.parts).toEqual([{ id: 1, name: 'alice' }, ' eliminated ', { id: 2, name: 'bob' }]);
  });

  it('does not name a killer who has left the room', () => {
    const { alice, carol, h } = aliceKillsBob();
    const [kill] = carol.events;
    alice.leave();
    h.step(2);
    expect(killFeed([kill!.event], carol.mirror as ArenaState, kill!.tick).map(line)).toEqual(['bob was eliminated']);
  });

  it('shows nothing for a patch without events', () => {
    const h = createHarness(arena, { seed: 1 });
    const alice = h.join('alice');
    h.step(10);
    expect(alice.events).toEqual([]);
    expect(killFeed([], alice.mirror as ArenaState, h.tick)).toEqual([]);
  });
});
