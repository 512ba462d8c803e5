import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, renderStateFormat } from '../../../scripts/state-format';
import { arena } from '../modes/arena/index';
import { describeState } from './state-format';

describe('the state format', () => {
  it('docs/state-format.md is what `npm run docs:state-format` generates (regenerate it after changing a state)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    expect(renderStateFormat(doc)).toBe(doc);
  });

  it("reads arena's coordinates as 16-bit quantized steps of exactly 1/30 unit", () => {
    const player = describeState(arena.State).classes.find((c) => c.name === 'ArenaPlayer')!;
    const x = player.fields.find((f) => f.name === 'x')!;
    expect(x.index).toBe(1);
    expect(x.type).toMatchObject({ kind: 'quantized', wire: 'uint16', scale: { min: 0, max: 2184.5, bits: 16, wrap: false, span: 65535 } });
    expect(x.type.kind === 'quantized' && x.type.scale.step * 30).toBeCloseTo(1, 12);
  });

  it('leaves server-only fields out, numbering the sent ones from 0', () => {
    const player = describeState(arena.State).classes.find((c) => c.name === 'ArenaPlayer')!;
    expect(player.fields.map((f) => [f.index, f.name])).toEqual([
      [0, 'name'],
      [1, 'x'],
      [2, 'y'],
      [3, 'aim'],
      [4, 'hp'],
      [5, 'score'],
    ]);
  });
});
