/**
 * Arena's kill feed, from the kill events the server sends (ArenaEvents: killer and victim ids, in
 * the patch of the tick the kill happened), so nothing is inferred from two states. Names come
 * from the state of that same patch; a killer who has already left the room is not named.
 */
import type { ArenaEvent, ArenaState } from '@tickforge/shared/modes/arena/index';
import type { FeedEntry } from './mode-client';

export function killFeed(events: readonly ArenaEvent[], state: ArenaState, tick: number): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (const e of events) {
    if (e.type !== 'kill') continue;
    const killer = state.players.get(String(e.killer));
    const victim = { id: e.victim, name: state.players.get(String(e.victim))?.name ?? `player ${e.victim}` };
    out.push({ tick, parts: killer ? [{ id: e.killer, name: killer.name }, ' eliminated ', victim] : [victim, ' was eliminated'] });
  }
  return out;
}
