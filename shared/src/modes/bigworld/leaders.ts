/**
 * The leaderboard of a big world: under interest a client holds only the players on its screen,
 * so a scoreboard built from them would rank a handful of strangers. The top LEADERS players
 * travel instead in a small map keyed by rank outside the spatial collections, which every client receives as
 * part of the shared patch: it costs bytes only when the ranking or a leader's score changes
 * (a kill among the leaders, a leader leaving), not every tick. A rank's row is updated in place:
 * when the order changes, fields change, and entries come and go only at the bottom. (A map, not an
 * array, so that every decoder of the state format, the Python SDK's included, reads it.)
 *
 * Ranked by score, then by id (the older player first), so every run of the same inputs ranks the
 * same way. Selecting the top of 200 players is one pass with a LEADERS-long insertion: no sort,
 * no allocation once warm.
 */
import type { MapSchema } from '@colyseus/schema';
import { Leader } from './state';

/** How many leaders every client is sent: the scoreboard's rows (client/src/hud/scoreboard.ts). */
export const LEADERS = 8;

interface Ranked {
  id: number;
  name: string;
  score: number;
}

const top: Ranked[] = [];
/** The map keys: a rank as a decimal string, "0" the leader. */
const RANKS = Array.from({ length: LEADERS }, (_, i) => String(i));

const ahead = (a: Ranked, b: Ranked) => a.score > b.score || (a.score === b.score && a.id < b.id);

/** Writes the current top LEADERS of `players` into `leaders`, touching only the fields that changed. */
export function updateLeaders(players: { forEach(visit: (p: Ranked) => void): void }, leaders: MapSchema<Leader>): void {
  top.length = 0;
  players.forEach((p) => {
    if (top.length === LEADERS && !ahead(p, top[LEADERS - 1]!)) return;
    let i = top.length < LEADERS ? top.length : LEADERS - 1;
    while (i > 0 && ahead(p, top[i - 1]!)) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = p;
  });
  for (let i = 0; i < top.length; i++) {
    const p = top[i]!;
    let row = leaders.get(RANKS[i]!);
    if (!row) leaders.set(RANKS[i]!, (row = new Leader()));
    if (row.id !== p.id) row.id = p.id;
    if (row.name !== p.name) row.name = p.name;
    if (row.score !== p.score) row.score = p.score;
  }
  for (let i = top.length; i < LEADERS && leaders.size > top.length; i++) leaders.delete(RANKS[i]!);
  top.length = 0; // hold no player between ticks
}
