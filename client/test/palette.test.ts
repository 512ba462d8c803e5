import { describe, expect, it } from 'vitest';
import { playerColor } from '../src/render/palette';

describe('playerColor', () => {
  it('follows the name, not the per-room id: a player keeps their colour from room to room', () => {
    expect(playerColor('alice')).toBe(playerColor('alice'));
    expect(playerColor('alice')).not.toBe(playerColor('bob'));
  });

  it('spreads a room of names over the palette', () => {
    const names = Array.from({ length: 16 }, (_, i) => `player${i + 1}`);
    expect(new Set(names.map(playerColor)).size).toBeGreaterThanOrEqual(7);
  });
});
