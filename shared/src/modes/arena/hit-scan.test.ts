/**
 * The hit scan's broad phase is exact: in a crowded melee (16 players in 300 × 300 units, everyone
 * firing every 250 ms at random, walking at random, shooting with random view ticks inside the
 * rewind bound, some catching up on a burst of inputs after a stall), arena's rules give, tick
 * after tick, the very state that testing every shot against every player gives.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { defineMode } from '../../mode-api/define-mode';
import { seededRandom } from '../../mode-api/random';
import { arena } from './index';
import { COORD_MAX, TICK_RATE, WORLD_SIZE } from './rules';
import { placePlayer, shooterRules } from './shooter';
import { ArenaPlayer, Projectile, type ArenaState } from './state';

const world = { size: WORLD_SIZE, coordMax: COORD_MAX };
const fullScan = defineMode({
  ...arena,
  name: 'arena-full-scan',
  ...shooterRules<ArenaPlayer, Projectile, ArenaState>(world, { player: () => new ArenaPlayer(), projectile: () => new Projectile() }, true),
});

/** Every player's hp and score: changes when a shot hits. */
const tally = (state: ArenaState) => [...state.players.values()].map((p) => `${p.hp}/${p.score}`).join();

function melee(mode: typeof arena, seconds: number) {
  const random = seededRandom(21);
  const h = createHarness(mode, { seed: 9 });
  const players = Array.from({ length: 16 }, (_, i) => h.join(`p${i}`));
  h.step();
  players.forEach((p) => placePlayer(h.state.players.get(String(p.id))!, 850 + random() * 300, 850 + random() * 300, world));
  const states: string[] = [];
  let hits = 0;
  for (let t = 0; t < seconds * TICK_RATE; t++) {
    players.forEach((p, i) => {
      // Players 0-3 stall for 10 ticks every 40 and then send the missed inputs at once (catch-up).
      const stalled = i < 4 && t % 40 >= 30;
      const burst = i < 4 && t % 40 === 0 && t > 0 ? 11 : 1;
      const r = [random(), random(), random(), random()];
      if (stalled) return;
      for (let k = 0; k < burst; k++) {
        const input = { dx: Math.floor(r[0]! * 3) - 1, dy: Math.floor(r[1]! * 3) - 1, aim: r[2]! * 7, fire: true };
        p.input(input, h.tick + 1 - r[3]! * 8);
      }
    });
    const before = tally(h.state);
    h.step();
    if (tally(h.state) !== before) hits++;
    states.push(JSON.stringify(h.state.toJSON()));
  }
  h.dispose();
  return { states, hits };
}

describe('the hit scan broad phase', () => {
  it('gives the full scan’s state tick after tick in a crowded melee', () => {
    const grid = melee(arena, 10);
    const full = melee(fullScan as typeof arena, 10);
    expect(grid.hits).toBeGreaterThan(100); // the melee had hits to get right
    for (let i = 0; i < full.states.length; i++) expect(grid.states[i], `tick ${i + 1}`).toBe(full.states[i]);
  });
});
