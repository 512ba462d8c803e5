import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TICK_DURATION_BUCKETS, TickDurationHistogram } from './metrics';

describe('the tick duration histogram', () => {
  it('exposes exactly what a prom-client Histogram with the same buckets does', async () => {
    const ours = new TickDurationHistogram();
    const oursRegistry = new Registry();
    oursRegistry.registerMetric(ours as never);
    const reference = new Registry();
    const theirs = new Histogram({ name: ours.name, help: ours.help, buckets: [...TICK_DURATION_BUCKETS], registers: [reference] });
    // On a bound, between bounds, below the first, past the last.
    for (const s of [0, 16e-6, 17e-6, 0.001, TICK_DURATION_BUCKETS[40]!, 0.0333, 0.2, 5]) {
      ours.observe(s);
      theirs.observe(s);
    }
    expect(await oursRegistry.metrics()).toBe(await reference.metrics());
  });
});
