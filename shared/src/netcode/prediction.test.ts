import { describe, expect, it } from 'vitest';
import { Predictor, type Position } from './prediction';

interface Move {
  dx: number;
}
const step = (p: Position, i: Move, dt: number) => {
  p.x += i.dx * 100 * dt;
};

describe('Predictor', () => {
  it('applies inputs at once and agrees with a server that applied the same inputs', () => {
    const p = new Predictor<Move>({ step, dt: 0.1 });
    p.reset({ x: 0, y: 0 });
    for (let seq = 1; seq <= 5; seq++) p.apply(seq, { dx: 1 });
    expect(p.predicted.x).toBeCloseTo(50, 10);
    // The server has applied 3 of 5.
    expect(p.reconcile(3, { x: 30, y: 0 })).toBe(0);
    expect(p.pendingCount).toBe(2);
    expect(p.corrections).toBe(0);
    expect(p.predicted.x).toBeCloseTo(50, 10);
  });

  it('smooths a small correction: the drawn position does not jump, then converges', () => {
    const p = new Predictor<Move>({ step, dt: 0.1, smoothingMs: 100 });
    p.reset({ x: 0, y: 0 });
    p.apply(1, { dx: 1 });
    const drawn = p.display({ x: 0, y: 0 });
    expect(p.reconcile(1, { x: 4, y: 0 })).toBeCloseTo(6, 10);
    expect(p.corrections).toBe(1);
    expect(p.predicted.x).toBe(4);
    expect(p.display({ x: 0, y: 0 }).x).toBeCloseTo(drawn.x, 10);
    p.decay(100);
    expect(p.display({ x: 0, y: 0 }).x).toBeCloseTo(4 + 6 * Math.exp(-1), 6);
    for (let i = 0; i < 60; i++) p.decay(16);
    expect(p.display({ x: 0, y: 0 }).x).toBe(4);
  });

  it('snaps a large correction', () => {
    const p = new Predictor<Move>({ step, dt: 0.1, snapDistance: 100 });
    p.reset({ x: 0, y: 0 });
    p.apply(1, { dx: 1 });
    p.reconcile(1, { x: 900, y: 300 });
    expect(p.snaps).toBe(1);
    expect(p.display({ x: 0, y: 0 })).toEqual({ x: 900, y: 300 });
  });

  it('previews the frame under way with the live input', () => {
    const p = new Predictor<Move>({ step, dt: 0.1 });
    p.reset({ x: 0, y: 0 });
    expect(p.display({ x: 0, y: 0 }, { input: { dx: 1 }, fraction: 0.5 }).x).toBeCloseTo(5, 10);
    expect(p.display({ x: 0, y: 0 }, { input: { dx: 1 }, fraction: 3 }).x).toBeCloseTo(10, 10);
    expect(p.predicted.x).toBe(0);
  });

  it('starts from the first server position when it was not reset', () => {
    const p = new Predictor<Move>({ step, dt: 0.1 });
    p.apply(1, { dx: 1 });
    expect(p.reconcile(0, { x: 7, y: 8 })).toBe(0);
    expect(p.predicted).toEqual({ x: 7, y: 8 });
  });
});
