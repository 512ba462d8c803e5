import { describe, expect, it } from 'vitest';
import { History } from './history';

const positions = (xs: Record<number, number>) => ({
  positions(_: unknown, record: (id: number, x: number, y: number) => void) {
    for (const [id, x] of Object.entries(xs)) record(Number(id), x, 0);
  },
});

describe('the position history behind ctx.positionAt', () => {
  it('interpolates between sent ticks, clamps to the rewind bound and to the last tick sent', () => {
    const h = new History(7.5, 30); // 250 ms at 30 Hz
    for (let t = 1; t <= 20; t++) h.record(t, positions({ 1: t * 10 }), undefined);
    const at = (view: number, now = 21) => h.positionAt(1, view, now, { x: 0, y: 0 })?.x;
    expect(at(18)).toBe(180);
    expect(at(18.25)).toBe(182.5);
    expect(at(20.5)).toBe(200); // nothing after the last tick sent
    expect(at(2)).toBe(135); // 21 - 7.5 = 13.5: the bound, not the claim
    expect(h.positionAt(2, 18, 21, { x: 0, y: 0 })).toBeUndefined(); // never recorded
  });

  it('keeps only the bound plus two ticks, and nothing at all without lag compensation', () => {
    const h = new History(7.5, 30);
    for (let t = 1; t <= 100; t++) h.record(t, positions({ 1: t }), undefined);
    expect(h.positionAt(1, 92.5, 100, { x: 0, y: 0 })?.x).toBe(92.5);
    const off = new History(0, 30);
    off.record(1, positions({ 1: 5 }), undefined);
    expect(off.positionAt(1, 1, 2, { x: 0, y: 0 })).toBeUndefined();
    expect(new History(1e6, 30).maxRewindTicks).toBe(30); // never more than a second
  });
});
