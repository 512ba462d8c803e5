/**
 * King of the hill's replicated state, designed for small patches:
 * - positions are 16-bit quantized over the 1200-unit world (0.02-unit steps);
 * - timers are the tick at which the phase ends (`phaseEndsAtTick`), fixed for the whole phase, so a
 *   running clock costs nothing per tick: a client computes the seconds left from the tick number
 *   that heads every patch;
 * - the hill's progress counter and knockback are server-side (`noSync`); only the whole points a
 *   player has reach the wire, once a second at most;
 * - the round result (`winner`, `winnerName`) changes once a round.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';
import { coordField } from '../../mode-api/movement';
import { Phase, WORLD_SIZE } from './rules';

const coord = () => coordField(WORLD_SIZE);

export const KothPlayer = schema(
  {
    name: t.string(),
    x: coord(),
    y: coord(),
    /** Points this round (0..WIN_POINTS). */
    score: t.uint8(),
    /** Tick of this player's last push (0: none this round), for the shockwave and the cooldown. */
    pushTick: t.uint32(),
    /** Server-side bookkeeping, never sent (the map key carries the id). */
    id: t.uint16().noSync(),
    /** Ticks spent as the hill's sole occupant this round. */
    heldTicks: t.uint32().noSync(),
    /** Knockback ticks left, and its direction (a unit vector). */
    knockTicks: t.uint8().noSync(),
    knockX: t.float32().noSync(),
    knockY: t.float32().noSync(),
  },
  'KothPlayer',
);
export type KothPlayer = SchemaType<typeof KothPlayer>;

export const KothState = schema(
  {
    /** Keyed by player id (decimal string). */
    players: t.map(KothPlayer),
    /** Phase.PLAYING or Phase.INTERMISSION. */
    phase: t.uint8().default(Phase.PLAYING),
    /** Round number, from 1. */
    round: t.uint16().default(0),
    /** The tick at which the current phase ends: the round timer, or the intermission's. */
    phaseEndsAtTick: t.uint32().default(0),
    hillX: coord().default(WORLD_SIZE / 2),
    hillY: coord().default(WORLD_SIZE / 2),
    /** Id of the player alone on the hill (scoring), 0 when nobody or several are on it. */
    holder: t.uint16().default(0),
    /** Several players are on the hill: nobody scores. */
    contested: t.boolean().default(false),
    /** The last finished round's winner id (0: a draw), shown during the intermission. */
    winner: t.uint16().default(0),
    /** The winner's name, kept even if they leave during the intermission. */
    winnerName: t.string().default(''),
  },
  'KothState',
);
export type KothState = SchemaType<typeof KothState>;
