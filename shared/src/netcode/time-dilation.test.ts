import { describe, expect, it } from 'vitest';
import { TimeDilation } from './time-dilation';

describe('time dilation of the input clock', () => {
  it('runs slower when inputs wait too long on the server, faster when they come late, within ±5%', () => {
    const t = new TimeDilation();
    expect(t.observe(40)).toBeCloseTo(-0.02);
    expect(t.interval(1000 / 30)).toBeGreaterThan(1000 / 30);
    expect(t.observe(-20)).toBeCloseTo(0.01);
    expect(t.interval(1000 / 30)).toBeLessThan(1000 / 30);
    expect(t.observe(127)).toBe(-0.05);
    expect(t.observe(-127)).toBe(0.05);
    expect(t.observe(0)).toBe(0);
  });

  it('steers a simulated buffer to its target across a 150 ms round trip without oscillating', () => {
    // The server sees the wait of inputs sent half a round trip ago, and reports it back half a
    // round trip later: a delayed loop. Start one tick and a half too deep.
    const t = new TimeDilation();
    const interval = 1000 / 30;
    let wait = 50; // ms the inputs wait beyond target
    const history: number[] = [];
    const reports: number[] = [];
    for (let tick = 0; tick < 300; tick++) {
      history.push(wait);
      reports.push(history[Math.max(0, tick - 2)]!); // up-link delay
      t.observe(reports[Math.max(0, tick - 2)]!); // down-link delay
      wait += t.dilation * interval; // (1 + d) inputs per tick: each waits d * interval longer than the one before
    }
    expect(Math.abs(wait)).toBeLessThan(1);
    // Monotone approach: never crosses far to the other side.
    expect(Math.min(...history)).toBeGreaterThan(-2);
  });
});
