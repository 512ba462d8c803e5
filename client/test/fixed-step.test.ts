import { describe, expect, it } from 'vitest';
import { seededRandom } from '@tickforge/shared';
import { FixedStep } from '../src/net/fixed-step';
import { FakeTimers } from './fake-timers';

describe('FixedStep (input frames at the tick rate)', () => {
  it('keeps exactly 30 steps a second although every timer fires late', () => {
    const random = seededRandom(2);
    const timers = new FakeTimers(() => random() * 12);
    let steps = 0;
    const loop = new FixedStep(1000 / 30, () => steps++, 4, timers);
    loop.start();
    timers.advance(10_000);
    // A setInterval(33) would give 303 here; a chained setTimeout(33) with this lateness ~250.
    expect(steps).toBeGreaterThanOrEqual(300);
    expect(steps).toBeLessThanOrEqual(301);
    expect(loop.skipped).toBe(0);
  });

  it('runs a few percent faster or slower under time dilation, smoothly on its schedule', () => {
    const timers = new FakeTimers();
    let steps = 0;
    const loop = new FixedStep(1000 / 30, () => steps++, 4, timers);
    loop.start();
    loop.dilation = 0.05;
    timers.advance(10_000);
    expect(steps).toBeGreaterThanOrEqual(314);
    expect(steps).toBeLessThanOrEqual(316);
    steps = 0;
    loop.dilation = -0.05;
    timers.advance(10_000);
    expect(steps).toBeGreaterThanOrEqual(285);
    expect(steps).toBeLessThanOrEqual(287);
    expect(loop.skipped).toBe(0);
  });

  it('catches up a few steps after a stall and skips the rest', () => {
    let stallNext = false;
    const timers = new FakeTimers(() => (stallNext ? ((stallNext = false), 2000) : 0));
    let steps = 0;
    const loop = new FixedStep(1000 / 30, () => steps++, 4, timers);
    loop.start();
    timers.advance(500);
    const before = steps;
    stallNext = true; // the tab goes to the background: the next timer fires 2 s late
    timers.advance(2100);
    // 4 steps back to back when it wakes up, then on schedule again for the last ~67 ms.
    expect(steps - before).toBeGreaterThanOrEqual(4 + 1);
    expect(steps - before).toBeLessThanOrEqual(4 + 4);
    expect(loop.skipped).toBeGreaterThan(50);
  });

  it('reports how far into the current step it is', () => {
    const timers = new FakeTimers();
    const loop = new FixedStep(100, () => {}, 4, timers);
    loop.start();
    timers.advance(30);
    expect(loop.fraction(timers.now())).toBeCloseTo(0.3, 6);
    expect(loop.fraction(timers.now() + 500)).toBe(1);
  });
});
