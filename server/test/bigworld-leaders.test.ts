/**
 * Bigworld's leaderboard (shared/src/modes/bigworld/leaders.ts): under interest a client sees only
 * the players on its screen, yet its scoreboard ranks the whole room, because the top LEADERS
 * players reach every client outside the view. Checked on mirrors built only from each client's bytes.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '../src/harness';
import { bigworld, LEADERS, type BigWorldState } from '@tickforge/shared/modes/bigworld/index';
import { leaderRows } from '../../client/src/modes/player-snapshots';

function spreadOut(n: number) {
  const h = createHarness(bigworld, { seed: 3 });
  const players = Array.from({ length: n }, (_, i) => h.join(`p${i}`));
  h.step();
  const of = (p: { id: number }) => h.state.players.get(String(p.id))!;
  // A 5 × 4 grid 1,900 units apart: nobody sees anybody else.
  players.forEach((p, i) => Object.assign(of(p), { x: 200 + (i % 5) * 1900, y: 200 + Math.floor(i / 5) * 1900 }));
  h.step();
  return { h, players, of };
}

const rows = (mirror: BigWorldState) => [...mirror.leaders.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, r]) => `${r.name}:${r.score}`);

describe('bigworld leaderboard', () => {
  it('every client receives the room top by score (ties: the older player first), whoever it sees', () => {
    const { h, players, of } = spreadOut(20);
    players.forEach((p, i) => (of(p).score = [3, 9, 1, 9, 0, 5, 12, 2, 7, 7, 4, 0, 6, 8, 1, 11, 0, 2, 10, 3][i]!));
    h.step();
    const expected = ['p6:12', 'p15:11', 'p18:10', 'p1:9', 'p3:9', 'p13:8', 'p8:7', 'p9:7'];
    expect(LEADERS).toBe(8);
    for (const p of players) {
      expect(p.mirror.players.size).toBe(1); // only themself in view
      expect(rows(p.mirror)).toEqual(expected);
    }
    // The browser's scoreboard: the leaders, then the players in view (the own row when not a leader).
    expect(leaderRows(players[0]!.mirror).map((r) => r.name)).toEqual(['p6', 'p15', 'p18', 'p1', 'p3', 'p13', 'p8', 'p9', 'p0']);
  });

  it('follows kills and departures: a new score reorders the rows, a leader who leaves is replaced', () => {
    const { h, players, of } = spreadOut(10);
    players.forEach((p, i) => (of(p).score = i)); // p9 leads, p2 is eighth
    h.step();
    expect(rows(players[0]!.mirror)).toEqual(['p9:9', 'p8:8', 'p7:7', 'p6:6', 'p5:5', 'p4:4', 'p3:3', 'p2:2']);
    of(players[1]!).score = 20;
    h.step();
    expect(rows(players[0]!.mirror)).toEqual(['p1:20', 'p9:9', 'p8:8', 'p7:7', 'p6:6', 'p5:5', 'p4:4', 'p3:3']);
    players[9]!.leave();
    h.step();
    expect(rows(players[0]!.mirror)).toEqual(['p1:20', 'p8:8', 'p7:7', 'p6:6', 'p5:5', 'p4:4', 'p3:3', 'p2:2']);
  });

  it('with fewer players than rows, every player is a row', () => {
    const { h, players } = spreadOut(3);
    h.step();
    expect(rows(players[2]!.mirror)).toEqual(['p0:0', 'p1:0', 'p2:0']);
  });
});
