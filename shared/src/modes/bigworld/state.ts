/**
 * Bigworld's replicated state: arena's fields (../arena/state.ts: motion segments, not positions)
 * on an 8000-unit grid. The players and projectiles maps are `.view()`: spatial collections whose
 * entries reach a client only while they are in its view (docs/game-modes.md, "Big worlds: interest"). The open variant
 * (`BigWorldOpenState`) is the same state without `.view()`: every client receives everything,
 * the baseline the interest figures are measured against.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';
import { shooterPlayerFields, shooterProjectileFields } from '../arena/state';
import { COORD_MAX, WORLD_SIZE } from './rules';

export const BigPlayer = schema(shooterPlayerFields(WORLD_SIZE, COORD_MAX), 'BigPlayer');
export type BigPlayer = SchemaType<typeof BigPlayer>;

export const BigProjectile = schema(shooterProjectileFields(WORLD_SIZE, COORD_MAX), 'BigProjectile');
export type BigProjectile = SchemaType<typeof BigProjectile>;

/** A row of the leaderboard (./leaders.ts): every client receives it, whoever it sees. */
export const Leader = schema(
  {
    id: t.uint16(),
    name: t.string(),
    score: t.uint16(),
  },
  'Leader',
);
export type Leader = SchemaType<typeof Leader>;

export const BigWorldState = schema(
  {
    /** Keyed by player id (decimal string); only the players in a client's view reach it. */
    players: t.map(BigPlayer).view(),
    /** Keyed by a room-unique projectile id (base-36 string); only those in view. */
    projectiles: t.map(BigProjectile).view(),
    /** The top players by score, keyed by rank ("0" leads), outside the view: the scoreboard every client shows (./leaders.ts). */
    leaders: t.map(Leader),
    nextProjectileId: t.uint32().noSync().default(0),
  },
  'BigWorldState',
);
export type BigWorldState = SchemaType<typeof BigWorldState>;

export const BigWorldOpenState = schema(
  {
    players: t.map(BigPlayer),
    projectiles: t.map(BigProjectile),
    leaders: t.map(Leader),
    nextProjectileId: t.uint32().noSync().default(0),
  },
  'BigWorldOpenState',
);
export type BigWorldOpenState = SchemaType<typeof BigWorldOpenState>;
