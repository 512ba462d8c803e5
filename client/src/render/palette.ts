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

/** A stable colour per player id. */
export function playerColor(id: number): number {
  return PLAYER_COLORS[(id - 1 + PLAYER_COLORS.length) % PLAYER_COLORS.length]!;
}

export function cssColor(c: number): string {
  return '#' + c.toString(16).padStart(6, '0');
}
