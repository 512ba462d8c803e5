import { describe, expect, it } from 'vitest';
import { seededRandom } from '@tickforge/shared';
import { DelayLine, StallSchedule } from '../src/net/delay-line';
import { parseNetworkConditions } from '../src/net/network-conditions';
import { FakeTimers } from './fake-timers';

describe('network conditions from the URL', () => {
  it('reads lag, jitter and spikes, and ignores nonsense', () => {
    expect(parseNetworkConditions('?lag=150&jitter=30')).toEqual({ lagMs: 150, jitterMs: 30, spikeMs: 0, spikeEveryMs: 5000 });
    expect(parseNetworkConditions('?spike=400&spikeEvery=2')).toMatchObject({ spikeMs: 400, spikeEveryMs: 2000 });
    expect(parseNetworkConditions('?lag=-5&jitter=abc&spike=1e9')).toEqual({ lagMs: 0, jitterMs: 0, spikeMs: 10_000, spikeEveryMs: 5000 });
    expect(parseNetworkConditions('')).toEqual({ lagMs: 0, jitterMs: 0, spikeMs: 0, spikeEveryMs: 5000 });
  });
});

describe('DelayLine', () => {
  it('delays each message by the lag plus up to the jitter, and never reorders', () => {
    const timers = new FakeTimers();
    const line = new DelayLine(75, 30, undefined, seededRandom(4), timers);
    const sent: number[] = [];
    const delivered: Array<{ i: number; delay: number }> = [];
    for (let i = 0; i < 300; i++) {
      sent.push(timers.now());
      line.push(() => delivered.push({ i, delay: timers.now() - sent[i]! }));
      timers.advance(10); // faster than the jitter: order preservation matters
    }
    timers.advance(1000);
    expect(delivered.map((d) => d.i)).toEqual([...Array(300).keys()]);
    const delays = delivered.map((d) => d.delay);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(75 - 1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(105 + 10);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(15); // there is jitter
  });

  it('holds everything sent during a stall until the stall ends', () => {
    const timers = new FakeTimers();
    const stalls = new StallSchedule(400, 1000, seededRandom(1), 0);
    const line = new DelayLine(10, 0, stalls, () => 0, timers);
    const delays: number[] = [];
    for (let i = 0; i < 500; i++) {
      const at = timers.now();
      line.push(() => delays.push(timers.now() - at));
      timers.advance(20);
    }
    timers.advance(1000);
    expect(delays).toHaveLength(500);
    expect(Math.min(...delays)).toBe(10);
    expect(Math.max(...delays)).toBeGreaterThan(300);
    expect(Math.max(...delays)).toBeLessThanOrEqual(410);
  });

  it('drops what is in flight when closed', () => {
    const timers = new FakeTimers();
    const line = new DelayLine(50, 0, undefined, () => 0, timers);
    let n = 0;
    line.push(() => n++);
    line.close();
    line.push(() => n++);
    timers.advance(200);
    expect(n).toBe(0);
  });
});
