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

  it('finds each of many entities by id, forgets those that left, and follows ids coming and going', () => {
    const h = new History(7.5, 30);
    const many = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, k) => [from + k, (from + k) * 2]));
    // Ticks 1..25 over a ring of 10 slots: each slot is refilled with new ids (its index is rebuilt).
    for (let t = 1; t <= 25; t++) h.record(t, positions(many(t * 50, 200)), undefined); // 50 leave, 50 join each tick
    const x = (id: number, view: number) => h.positionAt(id, view, 26, { x: 0, y: 0 })?.x;
    expect(x(1250, 25)).toBe(2500);
    expect(x(1449, 25)).toBe(2898);
    expect(x(1249, 25)).toBeUndefined(); // gone by tick 25
    expect(x(1249, 24)).toBe(2498); // still there at tick 24
    expect(x(1249, 24.5)).toBe(2498); // interpolates only where both ticks have it
    expect(x(1450, 25)).toBeUndefined(); // not yet
    expect(x(60, 25)).toBeUndefined(); // long gone, though its slot once held it
  });
});
