/**
 * Bigworld: arena's game (the same movement, firing and kills, ../arena/shooter.ts) for up to 200
 * players in an 8000 × 8000 world, where each client receives only what is on its screen
 * (1920 × 1080 around its player): the mode declares `interest` and the engine does the rest.
 * `bigworld-open` is the same game without interest (every client receives every entity), the
 * shared-patch baseline of the figures in README's Benchmarks.
 */
import { defineMode, type ModeDefinition } from '../../mode-api/define-mode';
import { ArenaEvents, type ArenaEvent } from '../arena/events';
import { ArenaInput } from '../arena/input';
import { projectileAt } from '../arena/rules';
import { shooterLagCompensation, shooterRules, type ShooterRules } from '../arena/shooter';
import { updateLeaders } from './leaders';
import type { Point } from '../../mode-api/movement';
import { COORD_MAX, MAX_PLAYERS, RULES, TICK_RATE, VIEW_HEIGHT, VIEW_WIDTH, WORLD_SIZE } from './rules';
import { BigPlayer, BigProjectile, BigWorldOpenState, BigWorldState } from './state';

export * from './rules';
export * from './state';
export { LEADERS } from './leaders';

const world = { size: WORLD_SIZE, coordMax: COORD_MAX };
const make = { player: () => new BigPlayer(), projectile: () => new BigProjectile() };
/** Arena's rules, then the leaderboard brought up to date (./leaders.ts). */
function withLeaders<S extends BigWorldState | BigWorldOpenState>(rules: ShooterRules<S>): ShooterRules<S> {
  return {
    ...rules,
    tick(state, inputs, ctx) {
      rules.tick(state, inputs, ctx);
      updateLeaders(state.players, state.leaders);
    },
  };
}
const rules = withLeaders(shooterRules<BigPlayer, BigProjectile, BigWorldState>(world, make));
const openRules = withLeaders(shooterRules<BigPlayer, BigProjectile, BigWorldOpenState>(world, make));

const common = {
  tickRate: TICK_RATE,
  maxPlayers: MAX_PLAYERS,
  world: { width: WORLD_SIZE, height: WORLD_SIZE },
  rules: RULES,
  input: ArenaInput,
  events: ArenaEvents,
  lagCompensation: shooterLagCompensation,
  // 2: the leaderboard (./leaders.ts) is part of the state. 3: arena's rules as they are (motion
  // segments, the aim cadence, no rewind past a respawn; issue 16).
  version: 3,
};

export const bigworld: ModeDefinition<BigWorldState, ArenaInput, ArenaEvent> = defineMode<BigWorldState, ArenaInput, ArenaEvent>({
  ...common,
  name: 'bigworld',
  title: 'Big world',
  description: "Arena for 200 in a world sixteen times arena's: you see your screen's worth of it.",
  State: BigWorldState,
  interest: {
    // A projectile's state is its spawn point; interest places it where it flies now.
    spatial: (state) => [
      state.players,
      { of: state.projectiles, at: (s: BigProjectile, tick: number, out: Point) => projectileAt(s.x, s.y, s.angle, tick - s.spawnTick, TICK_RATE, out) },
    ],
    viewCentre(state, player, out) {
      const p = state.players.get(String(player.id));
      if (!p) return false;
      out.x = p.x;
      out.y = p.y;
      return true;
    },
    viewWidth: VIEW_WIDTH,
    viewHeight: VIEW_HEIGHT,
  },
  ...rules,
});

export const bigworldOpen: ModeDefinition<BigWorldOpenState, ArenaInput, ArenaEvent> = defineMode<BigWorldOpenState, ArenaInput, ArenaEvent>({
  ...common,
  name: 'bigworld-open',
  title: 'Big world (no interest)',
  // A baseline for the figures, not a game to offer: playable by name, left out of the lobby.
  lobby: false,
  description: 'Big world where every client receives every entity: the baseline interest is measured against.',
  State: BigWorldOpenState,
  ...openRules,
});
