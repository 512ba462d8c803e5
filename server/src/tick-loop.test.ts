import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { TickLoop } from './tick-loop';

function loopOn(clock: ManualClock, rate = 30, maxCatchUp = 5, work: (tick: number) => void = () => {}) {
  const fired: number[] = [];
  const durations: number[] = [];
  const loop = new TickLoop({
    rate,
    clock,
    maxCatchUp,
    onTick: (tick) => {
      fired.push(clock.now());
      work(tick);
    },
    onTickMeasured: (ms) => durations.push(ms),
  });
  return { loop, fired, durations };
}

describe('TickLoop', () => {
  it('runs exactly rate ticks per second with zero drift over 10 simulated minutes', () => {
    const clock = new ManualClock();
    const { loop, fired } = loopOn(clock);
    loop.start();
    // Step in uneven chunks, as real timers would fire: never a multiple of the interval.
    const totalMs = 10 * 60 * 1000;
    let t = 0;
    while (t < totalMs) {
      const step = Math.min(7.3, totalMs - t);
      clock.advance(step);
      t += step;
    }
    expect(loop.stats.ticks).toBe(30 * 600);
    expect(loop.stats.dropped).toBe(0);
    // Tick n is due at n * 1000/30 ms: the last one is not late by even one interval.
    const expectedLast = (30 * 600 * 1000) / 30;
    expect(fired.at(-1)!).toBeGreaterThanOrEqual(expectedLast - 1e-6);
    expect(fired.at(-1)! - expectedLast).toBeLessThan(7.3);
    // No tick fires before its due time, and none is later than one clock step.
    for (let i = 0; i < fired.length; i += 997) {
      const due = ((i + 1) * 1000) / 30;
      expect(fired[i]!).toBeGreaterThanOrEqual(due - 1e-6);
      expect(fired[i]! - due).toBeLessThan(7.3 + 1e-6);
    }
  });

  it('does not accumulate lateness when every timer fires late', () => {
    const clock = new ManualClock();
    const { loop } = loopOn(clock);
    loop.start();
    // Each step is one interval plus ~1.7 ms of timer lateness; the schedule is absolute, so the
    // tick count follows elapsed time (105 s → 3150 ticks), not the number of firings (3000).
    for (let i = 0; i < 3000; i++) clock.advance(35);
    expect(loop.stats.ticks).toBe(3150);
    expect(loop.stats.dropped).toBe(0);
  });

  it('catches up a bounded number of ticks after a stall and counts the dropped ones', () => {
    const clock = new ManualClock();
    const { loop } = loopOn(clock, 30, 5);
    loop.start();
    clock.advance(1000); // 30 ticks
    expect(loop.stats.ticks).toBe(30);
    clock.stall(1000); // event loop blocked for one second: 30 ticks are due at once
    clock.advance(1); // the overdue timer finally fires
    expect(loop.stats.ticks).toBe(35); // 5 run back to back
    expect(loop.stats.dropped).toBe(25);
    expect(loop.tick).toBe(60); // tick numbers keep following time
    clock.advance(1000);
    expect(loop.stats.ticks).toBe(65);
    expect(loop.stats.dropped).toBe(25);
  });

  it('runs every due tick when the stall is within the catch-up bound', () => {
    const clock = new ManualClock();
    const { loop } = loopOn(clock, 30, 5);
    loop.start();
    clock.stall(100); // 3 ticks due
    clock.advance(0.5);
    expect(loop.stats.ticks).toBe(3);
    expect(loop.stats.dropped).toBe(0);
  });

  it('measures each tick and counts the ticks that overran their interval', () => {
    const clock = new ManualClock();
    // Every 10th tick takes 50 ms of (simulated) work; the others 1 ms.
    const { loop, durations } = loopOn(clock, 30, 5, (tick) => clock.stall(tick % 10 === 0 ? 50 : 1));
    loop.start();
    clock.advance(2000);
    expect(durations.length).toBe(loop.stats.ticks);
    expect(durations.filter((d) => d === 50).length).toBe(loop.stats.overruns);
    expect(loop.stats.overruns).toBeGreaterThanOrEqual(5);
    expect(durations.filter((d) => d === 1).length).toBe(loop.stats.ticks - loop.stats.overruns);
  });

  it('stops cleanly', () => {
    const clock = new ManualClock();
    const { loop } = loopOn(clock);
    loop.start();
    clock.advance(100);
    loop.stop();
    const ticks = loop.stats.ticks;
    clock.advance(1000);
    expect(loop.stats.ticks).toBe(ticks);
    expect(clock.pendingTimers).toBe(0);
  });
});
