/**
 * Arena's replicated state, designed for the wire (costs measured in docs/protocol.md):
 * - positions are 16-bit fixed point in 1/30-unit steps (see COORD_MAX in rules.ts), so a moving
 *   player costs 2 B to address + 3 B per changed coordinate;
 * - a projectile carries only its spawn point, angle and spawn tick: its path is computed from those
 *   by `projectileAt` on both sides, so it costs bytes when it spawns and when it goes, never in flight.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';
import { coordField } from '../../mode-api/movement';
import { COORD_MAX, WORLD_SIZE } from './rules';

const coord = () => coordField(WORLD_SIZE, COORD_MAX);

export const ArenaPlayer = schema(
  {
    name: t.string(),
    x: coord(),
    y: coord(),
    /** Aim, 8 bits (1.4 degree steps): enough to draw; shots use their own 16-bit angle. */
    aim: t.angle({ bits: 8 }),
    hp: t.uint8(),
    score: t.uint16(),
    /** Server-side bookkeeping, never sent (the map key carries the id). */
    id: t.uint16().noSync(),
    lastShotMs: t.number().noSync(),
  },
  'ArenaPlayer',
);
export type ArenaPlayer = SchemaType<typeof ArenaPlayer>;

export const Projectile = schema(
  {
    owner: t.uint16(),
    x: coord(),
    y: coord(),
    angle: t.angle({ bits: 16 }),
    spawnTick: t.uint32(),
    /**
     * Lag compensation, server-side only: how many ticks behind the server its shooter saw the
     * other players when firing. The shot is tested against them that far in the past.
     */
    rewind: t.number().noSync(),
  },
  'Projectile',
);
export type Projectile = SchemaType<typeof Projectile>;

export const ArenaState = schema(
  {
    /** Keyed by player id (decimal string). */
    players: t.map(ArenaPlayer),
    /** Keyed by a room-unique projectile id (base-36 string). */
    projectiles: t.map(Projectile),
    /** Next projectile id; server-side only. */
    nextProjectileId: t.uint32().noSync().default(0),
  },
  'ArenaState',
);
export type ArenaState = SchemaType<typeof ArenaState>;
