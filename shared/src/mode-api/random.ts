/**
 * Seeded pseudo-random numbers (mulberry32): small, fast, and the same sequence on every platform,
 * so a room replays identically from its seed. Modes get randomness only through this.
 */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded source that counts its draws (`draws`), made after `skip` draws of `seededRandom(seed)`. */
export interface CountingRandom {
  (): number;
  readonly draws: number;
}

/**
 * `seededRandom(seed)` that counts: a recording started on a running room stores the count, and
 * its replay skips as many draws to stand where the room stood.
 */
export function countingRandom(seed: number, skip = 0): CountingRandom {
  const next = seededRandom(seed);
  let draws = 0;
  for (; draws < skip; draws++) next();
  const random = (() => {
    draws++;
    return next();
  }) as CountingRandom;
  Object.defineProperty(random, 'draws', { get: () => draws });
  return random;
}
