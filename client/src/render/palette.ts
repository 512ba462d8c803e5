/** Colours of the game, in one place so every part agrees. */
export const colors = {
  background: 0x0b0f17,
  floor: 0x121a26,
  gridMinor: 0x1a2433,
  gridMajor: 0x233147,
  border: 0x6d83a8,
  self: 0xffffff,
  hpHigh: 0x4ade80,
  hpMid: 0xfacc15,
  hpLow: 0xf87171,
  hpBack: 0x000000,
  text: 0xe6edf7,
};

const PLAYER_COLORS = [0x60a5fa, 0xf472b6, 0xfacc15, 0x34d399, 0xa78bfa, 0xfb923c, 0x22d3ee, 0xf87171, 0xa3e635, 0xe879f9];

/**
 * A player's colour, from their name: the same player keeps it from room to room (ids are per room,
 * so a colour by id changed with every join). Two players with one name share a colour; they share
 * the name already. FNV-1a over the UTF-16 code units.
 */
export function playerColor(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return PLAYER_COLORS[(h >>> 0) % PLAYER_COLORS.length]!;
}

export function cssColor(c: number): string {
  return '#' + c.toString(16).padStart(6, '0');
}
