/**
 * Arena's replicated state, designed for the wire (costs measured in docs/protocol.md):
 * - positions are 16-bit fixed point in 1/30-unit steps (see COORD_MAX in rules.ts);
 * - a player's motion travels as a segment (issue 13): the point it started from (sx, sy), the
 *   direction it walks (dir) and the tick it would have started at to be where it is now (since).
 *   Its position follows from those by `segmentPosition`, the same `walk` both sides run, so a
 *   player walking straight costs no bytes; a turn costs its new segment, a tick without input (or
 *   two inputs in one tick) moves `since` by one. `x` and `y` are where the player is: the
 *   server's truth, and on a client `materialize` computes them from the segment after every patch;
 * - the aim a player shows is sent at most every AIM_EVERY_TICKS ticks (staggered by player), and
 *   only when its 8-bit value changed; shots carry their own exact 16-bit angle;
 * - a projectile carries only its spawn point, angle and spawn tick: its path is computed from those
 *   by `projectileAt` on both sides, so it costs bytes when it spawns and when it goes, never in flight.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';
import { coordField } from '../../mode-api/movement';
import { COORD_MAX, WORLD_SIZE } from './rules';

/**
 * The fields of a shooter player (./shooter.ts) in a world `size` units square on the grid of
 * coordField(size, coordMax): arena's, and bigworld's in its bigger world.
 */
export function shooterPlayerFields(size: number, coordMax: number) {
  const coord = () => coordField(size, coordMax);
  return {
    name: t.string(),
    /** Start of the motion segment. */
    sx: coord(),
    sy: coord(),
    /** Direction of the segment: `directionIndex(dx, dy)`, STILL when standing. */
    dir: t.uint8(),
    /** Tick (mod 65536) at which the segment would have started: the player is `tick - since` steps along it. */
    since: t.uint16(),
    /** Aim, 8 bits (1.4 degree steps): enough to draw; shots use their own 16-bit angle. */
    aim: t.angle({ bits: 8 }),
    hp: t.uint8(),
    score: t.uint16(),
    /** Where the player is: set by the rules on the server, by `materialize` on a client. */
    x: t.number().noSync(),
    y: t.number().noSync(),
    /** Server-side bookkeeping, never sent (the map key carries the id). */
    id: t.uint16().noSync(),
    lastShotMs: t.number().noSync(),
    /** Steps walked along the current segment. */
    steps: t.uint16().noSync(),
    /** Tick of the last input applied. */
    inputTick: t.number().noSync(),
    /** The aim of the last input, sent at the aim's own cadence. */
    aimNow: t.number().noSync(),
    /** Tick of the last (re)spawn: lag compensation never rewinds this player before it. */
    spawnTick: t.number().noSync(),
    /** Until this tick every shot tests this player (it took catch-up steps; ./shooter.ts). */
    catchUpUntil: t.number().noSync(),
  };
}

/** The fields of a shooter projectile in a world `size` units square (see shooterPlayerFields). */
export function shooterProjectileFields(size: number, coordMax: number) {
  const coord = () => coordField(size, coordMax);
  return {
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
  };
}

export const ArenaPlayer = schema(shooterPlayerFields(WORLD_SIZE, COORD_MAX), 'ArenaPlayer');
export type ArenaPlayer = SchemaType<typeof ArenaPlayer>;

export const Projectile = schema(shooterProjectileFields(WORLD_SIZE, COORD_MAX), 'Projectile');
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
