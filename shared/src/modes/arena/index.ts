/**
 * The arena mode: top-down shooter, the reference workload of ../shared/handbook/WORKLOAD.md.
 * Its rules, lag compensation included, are ./shooter.ts over arena's 2000-unit world.
 */
import { defineMode } from '../../mode-api/define-mode';
import { ArenaEvents, type ArenaEvent } from './events';
import { ArenaInput } from './input';
import { COORD_MAX, MAX_PLAYERS, RULES, TICK_RATE, WORLD_SIZE } from './rules';
import { shooterLagCompensation, shooterRules } from './shooter';
import { ArenaPlayer, ArenaState, Projectile } from './state';

export * from './rules';
export * from './state';
export * from './input';
export * from './events';

const rules = shooterRules<ArenaPlayer, Projectile, ArenaState>({ size: WORLD_SIZE, coordMax: COORD_MAX }, { player: () => new ArenaPlayer(), projectile: () => new Projectile() });

export const arena = defineMode<ArenaState, ArenaInput, ArenaEvent>({
  name: 'arena',
  title: 'Arena',
  description: 'Free-for-all shooter: move, aim, fire. A kill scores one point.',
  tickRate: TICK_RATE,
  maxPlayers: MAX_PLAYERS,
  world: { width: WORLD_SIZE, height: WORLD_SIZE },
  rules: RULES,
  State: ArenaState,
  input: ArenaInput,
  lagCompensation: shooterLagCompensation,
  events: ArenaEvents,
  join: rules.join,
  leave: rules.leave,
  tick: rules.tick,
});
