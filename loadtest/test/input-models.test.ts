import { describe, expect, it } from 'vitest';
import { HumanScript } from '../src/bot/human-script';
import { WorkloadScript } from '../src/bot/workload-script';

/** Ten seconds of one bot's frames (30 a second), copied out of the reused frame object. */
function trace(script: { next(): { dx: number; dy: number; aim: number; fire: boolean } }, frames = 300) {
  return Array.from({ length: frames }, () => ({ ...script.next() }));
}

function changesPerSecond(frames: ReturnType<typeof trace>, key: (f: ReturnType<typeof trace>[number]) => string): number {
  let n = 0;
  for (let i = 1; i < frames.length; i++) if (key(frames[i]!) !== key(frames[i - 1]!)) n++;
  return (n * 30) / frames.length;
}

describe('bot input models', () => {
  it('workload: one of 8 directions held 500 ms, aim changed only when shooting', () => {
    const f = trace(new WorkloadScript(1, 0), 3000);
    expect(changesPerSecond(f, (x) => `${x.dx},${x.dy}`)).toBeLessThanOrEqual(2);
    expect(f.every((x) => x.dx !== 0 || x.dy !== 0)).toBe(true);
    const aimChanges = f.filter((x, i) => i > 0 && x.aim !== f[i - 1]!.aim).length;
    expect(aimChanges).toBeLessThanOrEqual(f.filter((x) => x.fire).length);
  });

  it('human: about 4 key changes a second, the aim turning a little every frame, 2 shots a second', () => {
    const f = trace(new HumanScript(1, 0), 3000);
    // A key change that does not change the direction (a key of a cancelled pair) is not visible here.
    const direction = changesPerSecond(f, (x) => `${x.dx},${x.dy}`);
    expect(direction).toBeGreaterThan(2.5);
    expect(direction).toBeLessThan(4.5);
    for (let i = 1; i < f.length; i++) {
      let d = Math.abs(f[i]!.aim - f[i - 1]!.aim);
      d = Math.min(d, Math.PI * 2 - d);
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThan(0.1);
    }
    const shots = f.filter((x) => x.fire).length / 100;
    expect(shots).toBeGreaterThan(1.6);
    expect(shots).toBeLessThan(2.4);
  });

  it('is repeatable from the seed and differs between bots', () => {
    expect(trace(new HumanScript(7, 3))).toEqual(trace(new HumanScript(7, 3)));
    expect(trace(new HumanScript(7, 3))).not.toEqual(trace(new HumanScript(7, 4)));
  });
});
