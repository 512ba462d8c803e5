/**
 * Bigworld in the browser: arena's client (arena.ts) over the 8000-unit world. The state holds
 * only the entities in this client's view (the server's interest), so the scene and the minimap
 * show only what the server sent: the minimap's dots are the players on your screen and its edge.
 * The scoreboard is the exception: it ranks the room's leaders, which every client receives
 * whatever it sees (shared/src/modes/bigworld/leaders.ts), and then the players in view (so your
 * own row is there to show when you are not a leader).
 */
import { COORD_MAX, WORLD_SIZE } from '@tickforge/shared/modes/bigworld/index';
import { arenaClient } from './arena';
import type { ModeClientFactory } from './mode-client';
import { leaderRows } from './player-snapshots';

export const bigworldClient: ModeClientFactory = (mode) => ({ ...arenaClient(mode, { size: WORLD_SIZE, coordMax: COORD_MAX }), scoreboard: leaderRows });
