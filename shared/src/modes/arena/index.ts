/**
 * The arena mode: top-down shooter, the reference workload of ../shared/handbook/WORKLOAD.md.
 * Its rules are ./shooter.ts (which bigworld plays too, in a bigger world): motion segments, the aim
 * cadence, and the hit scan that favors the shooter (lag compensation through `ctx.positionAt`,
 * never past a respawn) with a broad phase over a grid.
 */
import { defineMode, type ModeDefinition } from '../../mode-api/define-mode';
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

export const arena: ModeDefinition<ArenaState, ArenaInput, ArenaEvent> = defineMode<ArenaState, ArenaInput, ArenaEvent>({
  name: 'arena',
  title: 'Arena',
  description: 'Free-for-all shooter: move, aim, fire. A kill scores one point.',
  tickRate: TICK_RATE,
  maxPlayers: MAX_PLAYERS,
  world: { width: WORLD_SIZE, height: WORLD_SIZE },
  rules: RULES,
  // 2: motion segments and the aim cadence (issue 13); 3: lag compensation never rewinds a player
  // past its respawn (issue 16). Recordings of an older version replay differently.
  version: 3,
  State: ArenaState,
  input: ArenaInput,
  lagCompensation: shooterLagCompensation,
  events: ArenaEvents,
  ...rules,
});
