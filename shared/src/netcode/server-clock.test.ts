import { describe, expect, it } from 'vitest';
import { seededRandom } from '../mode-api/random';
import { ServerClock } from './server-clock';

/** Simulates pings against a server whose clock reads client time + `offset`. */
function pinger(offset: number, seed = 7) {
  const random = seededRandom(seed);
  let t = 1000;
  return (clock: ServerClock, up: () => number, down: () => number) => {
    const sent = t;
    const u = up();
    const d = down();
    const serverTime = sent + u + offset;
    const received = sent + u + d;
    clock.addSample(received - sent, serverTime, received);
    t += 500;
    return random;
  };
}

describe('ServerClock', () => {
  it('finds the exact offset when the path is symmetric and steady', () => {
    const clock = new ServerClock();
    const ping = pinger(12_345);
    for (let i = 0; i < 5; i++)
      ping(
        clock,
        () => 40,
        () => 40,
      );
    expect(clock.synced).toBe(true);
    expect(clock.offset).toBeCloseTo(12_345, 6);
    expect(clock.rtt).toBe(80);
    expect(clock.minRtt).toBe(80);
    expect(clock.serverNow(100)).toBeCloseTo(12_445, 6);
  });

  it('stays within a few ms under heavy one-sided jitter, where single samples are off by tens of ms', () => {
    const clock = new ServerClock();
    const random = seededRandom(3);
    const ping = pinger(-50_000);
    let worstSingle = 0;
    for (let i = 0; i < 40; i++) {
      // 25 ms each way, plus up to 60 ms of queueing on either leg, independently.
      const u = 25 + random() * 60;
      const d = 25 + random() * 60;
      worstSingle = Math.max(worstSingle, Math.abs((u - d) / 2));
      ping(
        clock,
        () => u,
        () => d,
      );
    }
    expect(worstSingle).toBeGreaterThan(15);
    expect(Math.abs(clock.offset - -50_000)).toBeLessThan(3);
    expect(clock.rttJitter).toBeGreaterThan(5);
  });

  it('ignores delay spikes on one leg', () => {
    const clock = new ServerClock();
    const ping = pinger(777);
    for (let i = 0; i < 8; i++)
      ping(
        clock,
        () => 30,
        () => 30,
      );
    for (let i = 0; i < 6; i++)
      ping(
        clock,
        () => 30,
        () => 330,
      ); // downstream spikes: naive error 150 ms
    expect(clock.offset).toBeCloseTo(777, 6);
    expect(clock.minRtt).toBe(60);
  });

  it('slews towards a moderately different offset, and steps when far off', () => {
    const clock = new ServerClock();
    let ping = pinger(0);
    for (let i = 0; i < 16; i++)
      ping(
        clock,
        () => 20,
        () => 20,
      );
    ping = pinger(40);
    const seen: number[] = [];
    for (let i = 0; i < 32; i++) {
      ping(
        clock,
        () => 20,
        () => 20,
      );
      seen.push(clock.offset);
    }
    // Never overshoots, moves monotonically, gets there.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]!).toBeLessThan(40);
    expect(seen.at(-1)!).toBeCloseTo(40, 0);
    ping = pinger(10_000);
    for (let i = 0; i < 16; i++)
      ping(
        clock,
        () => 20,
        () => 20,
      );
    expect(clock.offset).toBeCloseTo(10_000, 0);
  });

  it('refuses nonsense samples', () => {
    const clock = new ServerClock();
    clock.addSample(-1, 5, 10);
    clock.addSample(10, Number.NaN, 10);
    expect(clock.synced).toBe(false);
  });
});
