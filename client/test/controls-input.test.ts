import { describe, expect, it } from 'vitest';
import { defineInput, field } from '@tickforge/shared';
import { ArenaInput } from '@tickforge/shared/modes/arena/index';
import { inputFromControls } from '../src/modes/controls-input';

describe('inputFromControls', () => {
  it("fills arena's input from the controls", () => {
    expect(inputFromControls(ArenaInput, { dx: 1, dy: -1, aim: 1.5, fire: true })).toEqual({ dx: 1, dy: -1, aim: 1.5, fire: true });
  });

  it('wraps the aim into (-π, π]', () => {
    expect(inputFromControls(ArenaInput, { dx: 0, dy: 0, aim: 3 * Math.PI, fire: false }).aim).toBeCloseTo(Math.PI, 5);
  });

  it('fills fields by alias and leaves unknown ones neutral', () => {
    const layout = defineInput({ angle: field.float32({ min: -4, max: 4 }), shoot: field.bool(), jump: field.bool(), dx: field.int8({ min: -1, max: 1 }) });
    expect(inputFromControls(layout, { dx: -1, dy: 1, aim: 0.5, fire: true })).toEqual({ angle: 0.5, shoot: true, jump: false, dx: -1 });
  });

  it('never produces a value the mode would refuse (the server would close the connection)', () => {
    const layout = defineInput({ dx: field.uint8({ min: 0, max: 2 }), dy: field.int8({ min: -1, max: 1 }) });
    expect(inputFromControls(layout, { dx: -1, dy: 1, aim: 0, fire: false })).toEqual({ dx: 0, dy: 1 });
  });
});
