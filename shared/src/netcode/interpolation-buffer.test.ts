import { describe, expect, it } from 'vitest';
import { InterpolationBuffer } from './interpolation-buffer';

describe('InterpolationBuffer', () => {
  it('is empty until the first snapshot', () => {
    expect(new InterpolationBuffer<number>().sample(0)).toBeUndefined();
  });

  it('returns the snapshots around a time and the fraction between them', () => {
    const b = new InterpolationBuffer<string>();
    b.push(100, 'a');
    b.push(133, 'b');
    b.push(166, 'c');
    const s = b.sample(150)!;
    expect([s.from, s.to, s.fromTime, s.toTime]).toEqual(['b', 'c', 133, 166]);
    expect(s.alpha).toBeCloseTo(17 / 33, 10);
    expect(s.starvedMs).toBe(0);
    const exact = b.sample(133)!;
    expect([exact.from, exact.to, exact.alpha]).toEqual(['b', 'c', 0]);
  });

  it('holds the newest snapshot and reports how far it ran dry', () => {
    const b = new InterpolationBuffer<string>();
    b.push(100, 'a');
    b.push(133, 'b');
    const s = b.sample(150)!;
    expect([s.from, s.to, s.alpha, s.starvedMs]).toEqual(['b', 'b', 0, 17]);
  });

  it('holds the oldest snapshot before the start of the buffer', () => {
    const b = new InterpolationBuffer<string>();
    b.push(100, 'a');
    b.push(133, 'b');
    const s = b.sample(50)!;
    expect([s.from, s.to, s.alpha, s.starvedMs]).toEqual(['a', 'a', 0, 0]);
  });

  it('ignores an older snapshot, replaces an equal one, and keeps only `capacity`', () => {
    const b = new InterpolationBuffer<string>(3);
    b.push(100, 'a');
    b.push(200, 'b');
    b.push(150, 'late');
    b.push(200, 'b2');
    expect(b.size).toBe(2);
    expect(b.sample(200)!.from).toBe('b2');
    b.push(300, 'c');
    b.push(400, 'd');
    expect(b.size).toBe(3);
    expect(b.oldestTime).toBe(200);
    expect(b.newestTime).toBe(400);
    expect(b.newest()).toBe('d');
    b.clear();
    expect(b.size).toBe(0);
  });

  it('interpolates a moving value linearly across patches, whatever the sampling rate', () => {
    const b = new InterpolationBuffer<number>();
    for (let tick = 0; tick <= 30; tick++) b.push((tick * 1000) / 30, tick * 10);
    for (let t = 0; t <= 1000; t += 7) {
      const s = b.sample(t)!;
      const v = s.from + (s.to - s.from) * s.alpha;
      expect(v).toBeCloseTo((t / 1000) * 300, 6);
    }
  });
});
