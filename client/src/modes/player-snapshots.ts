/**
 * The part of any mode's state the generic pieces understand: a `players` map whose entries have
 * x and y (and maybe name, aim, hp, score). Captured per patch, and blended between two patches.
 */
import type { BufferSample } from '@tickforge/shared';

export interface PlayerSnap {
  id: number;
  name: string;
  x: number;
  y: number;
  aim: number;
  hp: number | undefined;
  score: number | undefined;
}

interface PlayerLike {
  x?: unknown;
  y?: unknown;
  name?: unknown;
  aim?: unknown;
  hp?: unknown;
  score?: unknown;
}

interface MapLike {
  forEach(fn: (value: PlayerLike, key: string) => void): void;
}

/** Whether a state has a `players` map this module can read. */
export function hasPlayers(state: unknown): state is { players: MapLike } {
  const players = (state as { players?: unknown } | null)?.players;
  return typeof (players as MapLike | undefined)?.forEach === 'function';
}

export function capturePlayers(state: unknown): Map<number, PlayerSnap> {
  const out = new Map<number, PlayerSnap>();
  if (!hasPlayers(state)) return out;
  state.players.forEach((p, key) => {
    if (typeof p.x !== 'number' || typeof p.y !== 'number') return;
    const id = Number(key);
    out.set(id, {
      id,
      name: typeof p.name === 'string' && p.name ? p.name : `#${key}`,
      x: p.x,
      y: p.y,
      aim: typeof p.aim === 'number' ? p.aim : 0,
      hp: typeof p.hp === 'number' ? p.hp : undefined,
      score: typeof p.score === 'number' ? p.score : undefined,
    });
  });
  return out;
}

/** Farther than this between two patches is a teleport (respawn): no sliding across the map. */
const TELEPORT_DISTANCE = 120;

/**
 * Calls `draw` for each player of the later snapshot at its position blended for the sample's
 * time. A player only in the later snapshot (just joined) is drawn where it is.
 */
export function forEachInterpolated(sample: BufferSample<{ players: Map<number, PlayerSnap> }>, draw: (p: PlayerSnap, x: number, y: number, aim: number) => void): void {
  const { from, to, alpha } = sample;
  to.players.forEach((b) => {
    const a = from.players.get(b.id);
    if (!a || Math.abs(b.x - a.x) + Math.abs(b.y - a.y) > TELEPORT_DISTANCE) {
      const p = alpha < 0.5 && a ? a : b;
      draw(p, p.x, p.y, p.aim);
      return;
    }
    draw(alpha < 0.5 ? a : b, a.x + (b.x - a.x) * alpha, a.y + (b.y - a.y) * alpha, lerpAngle(a.aim, b.aim, alpha));
  });
}

export function lerpAngle(a: number, b: number, t: number): number {
  let d = (b - a) % (Math.PI * 2);
  if (d > Math.PI) d -= Math.PI * 2;
  if (d < -Math.PI) d += Math.PI * 2;
  return a + d * t;
}

export function scoreRows(state: unknown): Array<{ id: number; name: string; score: number }> {
  const rows: Array<{ id: number; name: string; score: number }> = [];
  capturePlayers(state).forEach((p) => rows.push({ id: p.id, name: p.name, score: p.score ?? 0 }));
  return rows.sort((a, b) => b.score - a.score || a.id - b.id);
}

type Row = ReturnType<typeof scoreRows>[number];

/**
 * A big world's scoreboard rows: the room's leaders, which every client receives whatever it sees
 * (shared/src/modes/bigworld/leaders.ts), then the players in view not among them (so the own row
 * is there to show when you are not a leader).
 */
export function leaderRows(state: unknown): Row[] {
  const rows: Row[] = [];
  const leaders = (state as { leaders?: { forEach(visit: (row: Row, rank: string) => void): void } }).leaders;
  const ranked: Array<[number, Row]> = [];
  leaders?.forEach((r, rank) => ranked.push([Number(rank), { id: r.id, name: r.name, score: r.score }]));
  for (const [, r] of ranked.sort((a, b) => a[0] - b[0])) rows.push(r);
  const shown = new Set(rows.map((r) => r.id));
  for (const r of scoreRows(state)) if (!shown.has(r.id)) rows.push(r);
  return rows;
}
