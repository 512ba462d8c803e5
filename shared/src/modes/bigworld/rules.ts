/**
 * Bigworld's numbers: arena's rules (../arena/shooter.ts) in an 8000 × 8000 world for up to 200
 * players, each seeing a 1920 × 1080 screen around themselves.
 */
export const WORLD_SIZE = 8000;
export const MAX_PLAYERS = 200;
import { RULES as ARENA_RULES } from '../arena/rules';

export { TICK_RATE } from '../arena/rules';

/** What a player sees: a 1080p screen's worth of world around them. */
export const VIEW_WIDTH = 1920;
export const VIEW_HEIGHT = 1080;

/**
 * Positions travel as 16-bit fixed point in steps of 2/15 unit: 65535 steps span 8738 units,
 * covering the 8000-unit world. At 200 units/s and 30 Hz a straight step is exactly 50 grid steps,
 * so snapping never changes a player's speed (as arena's 1/30-unit grid does for its world).
 */
export const COORD_MAX = (65535 * 2) / 15;

/** The constants a client or bot needs (GET /api/modes): arena's, in this world, with the view. */
export const RULES = {
  ...ARENA_RULES,
  worldSize: WORLD_SIZE,
  coordMax: COORD_MAX,
  viewWidth: VIEW_WIDTH,
  viewHeight: VIEW_HEIGHT,
} as const;
