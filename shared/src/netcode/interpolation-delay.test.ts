import { describe, expect, it } from 'vitest';
import { seededRandom } from '../mode-api/random';
import { InterpolationBuffer } from './interpolation-buffer';
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
    const excess = high - d.target;
    d.advance(100);
    expect(d.viewDelay).toBeCloseTo(high - 100 * Math.min(1, Math.max(0.1, excess / 300)), 6); // catching up in proportion
    for (let i = 0; i < 100; i++) d.advance(16); // 1.6 s
    expect(d.viewDelay - d.target).toBeLessThan(2);
    const near = d.viewDelay;
    d.hold(near + 10); // a small excess shrinks gently, at 10 %
    d.advance(50);
    expect(d.viewDelay).toBeCloseTo(near + 10 - 5, 6);
  });

  it('jumps when far from its target, and forgets on reset', () => {
    const d = new InterpolationDelay({ intervalMs: interval });
    d.observe(20);
    for (let i = 0; i < 90; i++) d.observe(1500);
    d.advance(16);
    expect(d.viewDelay).toBeCloseTo(d.target, 6);
    d.reset();
    expect(d.ready).toBe(false);
    expect(d.viewDelay).toBe(0);
  });
});

/**
 * A client drawing at 60 fps from patches sent every interval over a link of `transit(sendTime)`
 * ms that keeps order (TCP), the clocks in agreement: each frame it takes the patches that have
 * arrived, advances the delay, samples at server time − delay and holds when the buffer ran dry,
 * as GameSession does. Returns what was seen per frame.
 */
function play(durationMs: number, transit: (sentAt: number) => number, withArrivalTimes = true) {
  const d = new InterpolationDelay({ intervalMs: interval });
  const buffer = new InterpolationBuffer<number>(90);
  const arrivals: Array<{ at: number; tickTime: number }> = [];
  let last = 0;
  for (let t = 0; t <= durationMs; t += interval) {
    last = Math.max(last, t + transit(t));
    arrivals.push({ at: last, tickTime: t });
  }
  const frames: Array<{ now: number; renderTime: number; viewDelay: number; target: number; starved: boolean }> = [];
  const frameMs = 1000 / 60;
  let next = 0;
  for (let now = 0; now <= durationMs; now += frameMs) {
    while (next < arrivals.length && arrivals[next]!.at <= now) {
      const a = arrivals[next++]!;
      buffer.push(a.tickTime, a.tickTime);
      d.observe(now - a.tickTime, withArrivalTimes ? now : undefined);
    }
    if (!d.ready) continue;
    d.advance(frameMs);
    const starved = now - d.viewDelay > buffer.newestTime;
    if (starved) d.hold(now - buffer.newestTime);
    const renderTime = now - d.viewDelay;
    frames.push({ now, renderTime, viewDelay: d.viewDelay, target: d.target, starved });
  }
  return { d, frames };
}

describe('InterpolationDelay through a link stall', () => {
  const random = seededRandom(7);
  const stallAt = 3000;
  const stallMs = 400;
  // 20 ms ± 5 ms, and a 400 ms stall: a message sent during it waits until it ends.
  const link = (t: number) => 20 + random() * 5 + (t >= stallAt && t < stallAt + stallMs ? stallAt + stallMs - t : 0);

  it('holds the view during the stall, then plays it back fast-forward (no snap) and is steady again within 2 s', () => {
    const { d, frames } = play(7000, link);
    const steady = frames.find((f) => f.now >= stallAt - 100)!.viewDelay;
    for (let i = 1; i < frames.length; i++) {
      const step = frames[i]!.renderTime - frames[i - 1]!.renderTime;
      expect(step).toBeGreaterThanOrEqual(-1e-9); // never backwards
      expect(step).toBeLessThanOrEqual((1000 / 60) * 2.01); // at most 2× speed: no jump
    }
    // The view held (starved frames) during the stall only.
    const starved = frames.filter((f) => f.starved);
    expect(starved.length).toBeGreaterThan(10);
    expect(starved.every((f) => f.now > stallAt && f.now < stallAt + stallMs + 50)).toBe(true);
    // The held view ran up to ~400 ms behind; 2 s after the stall it is back to steady.
    expect(Math.max(...frames.map((f) => f.viewDelay))).toBeGreaterThan(steady + 250);
    const after = frames.filter((f) => f.now >= stallAt + stallMs + 2000);
    expect(after.every((f) => Math.abs(f.viewDelay - steady) < 3)).toBe(true);
    // The burst after the stall never counted as jitter: the target stayed where it was.
    expect(Math.max(...frames.filter((f) => f.now > 1000).map((f) => f.target))).toBeLessThan(steady + 8);
    expect(d.stalls).toBe(1);
    expect(d.burstPatches).toBeGreaterThan(5);
  });

  it('(without arrival times the burst is taken for jitter and keeps the delay up for seconds)', () => {
    const { frames } = play(7000, link, false);
    const steady = frames.find((f) => f.now >= stallAt - 100)!.viewDelay;
    expect(Math.max(...frames.map((f) => f.target))).toBeGreaterThan(steady + 200);
    expect(frames.find((f) => f.now >= stallAt + stallMs + 2000)!.viewDelay).toBeGreaterThan(steady + 100);
  });

  it('falls back to its steady value once jitter drops', () => {
    const r = seededRandom(3);
    const { frames } = play(12_000, (t) => 20 + r() * (t >= 2000 && t < 6000 ? 80 : 5));
    const steady = frames.find((f) => f.now >= 1900)!.viewDelay;
    const jittery = frames.find((f) => f.now >= 5900)!.viewDelay;
    expect(jittery).toBeGreaterThan(steady + 30);
    // The jittery patches leave the 3 s window by ~9 s; the delay follows within ~1.5 s.
    const back = frames.find((f) => f.now > 6000 && Math.abs(f.viewDelay - steady) < 5)!;
    expect(back.now).toBeLessThan(6000 + 3000 + 1500);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.renderTime - frames[i - 1]!.renderTime).toBeLessThanOrEqual((1000 / 60) * 2.01);
  });
});
