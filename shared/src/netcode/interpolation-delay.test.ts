import { describe, expect, it } from 'vitest';
import { seededRandom } from '../mode-api/random';
import { InterpolationDelay } from './interpolation-delay';

const interval = 1000 / 30;

describe('InterpolationDelay', () => {
  it('is two patch intervals above the transit on a steady connection', () => {
    const d = new InterpolationDelay({ intervalMs: interval });
    for (let i = 0; i < 90; i++) d.observe(12);
    expect(d.transit).toBe(12);
    expect(d.target).toBeCloseTo(12 + 2 * interval, 6);
    expect(d.viewDelay).toBeCloseTo(d.target, 6);
    expect(d.interpolationDelay).toBeCloseTo(2 * interval, 6);
    expect(d.jitter).toBe(0);
  });

  it('grows with jitter to cover the late patches', () => {
    const d = new InterpolationDelay({ intervalMs: interval });
    const random = seededRandom(1);
    const transits: number[] = [];
    for (let i = 0; i < 90; i++) {
      const t = 75 + random() * 60;
      transits.push(t);
      d.observe(t);
    }
    // Almost every patch must be on time at the target delay: tick + interval + transit ≤ view time.
    const late = transits.filter((t) => interval + t > d.target).length;
    expect(late).toBeLessThanOrEqual(5);
    expect(d.interpolationDelay).toBeGreaterThan(2 * interval);
    expect(d.jitter).toBeGreaterThan(10);
  });

  it('moves towards a new target at a bounded rate: fast up, slowly down', () => {
    const d = new InterpolationDelay({ intervalMs: interval });
    for (let i = 0; i < 90; i++) d.observe(10);
    const before = d.viewDelay;
    for (let i = 0; i < 90; i++) d.observe(i % 2 === 0 ? 10 : 110); // jitter appears
    expect(d.target).toBeCloseTo(interval + 110 + 4, 6);
    d.advance(16);
    expect(d.viewDelay).toBeCloseTo(before + 8, 6); // growRate 0.5
    for (let i = 0; i < 100; i++) d.advance(16);
    expect(d.viewDelay).toBeCloseTo(d.target, 6);
    const high = d.viewDelay;
    for (let i = 0; i < 90; i++) d.observe(10); // and goes away
    d.advance(100);
    expect(d.viewDelay).toBeCloseTo(high - 5, 6); // shrinkRate 0.05
  });

  it('jumps when far from its target, and forgets on reset', () => {
    const d = new InterpolationDelay({ intervalMs: interval });
    d.observe(20);
    for (let i = 0; i < 90; i++) d.observe(900);
    d.advance(16);
    expect(d.viewDelay).toBeCloseTo(d.target, 6);
    d.reset();
    expect(d.ready).toBe(false);
    expect(d.viewDelay).toBe(0);
  });
});
