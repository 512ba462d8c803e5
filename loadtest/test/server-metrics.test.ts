import { describe, expect, it } from 'vitest';
import { Metrics, TICK_DURATION_BUCKETS } from '../../server/src/metrics';
import { parseSample, tickWindow } from '../src/server-metrics';

const sources = { rooms: () => 2, clients: () => 20, ticksDropped: () => 0, tickOverruns: () => 3 };

describe('server metrics from /metrics', () => {
  it('reads tick percentiles of a window from the difference of two scrapes, as bucket upper bounds', async () => {
    const m = new Metrics(sources);
    for (let i = 0; i < 1000; i++) m.tickDuration.observe(0.05); // before the window: slow ticks
    const a = parseSample(await m.registry.metrics(), 0);
    for (let i = 0; i < 980; i++) m.tickDuration.observe(0.0003);
    for (let i = 0; i < 19; i++) m.tickDuration.observe(0.002);
    m.tickDuration.observe(0.0071);
    m.traffic.bytesOut = 12345;
    m.traffic.countClose(4011);
    const b = parseSample(await m.registry.metrics(), 1000);

    const w = tickWindow(a, b)!;
    expect(w.count).toBe(1000);
    const bound = (v: number) => TICK_DURATION_BUCKETS.find((x) => x >= v)! * 1000;
    expect(w.p50).toBeCloseTo(bound(0.0003), 9);
    expect(w.p99).toBeCloseTo(bound(0.002), 9);
    expect(w.max).toBeCloseTo(bound(0.0071), 9);
    // Bucket bounds err high by less than one 9% step.
    expect(w.p99 / 2).toBeLessThan(1.091);
    expect(w.mean).toBeCloseTo((980 * 0.3 + 19 * 2 + 7.1) / 1000, 6);
    expect(w.overflow).toBe(0);

    // A tick past the largest bucket (131 ms) is counted, and the max is that bound.
    m.tickDuration.observe(0.5);
    const c = parseSample(await m.registry.metrics(), 2000);
    expect(tickWindow(b, c)).toMatchObject({ count: 1, overflow: 1, max: 131, p50: 131 });

    // The tick without its socket writes is a histogram of its own, read the same way.
    expect(tickWindow(a, b, 'tickWork')).toBeUndefined(); // nothing observed yet
    for (let i = 0; i < 99; i++) m.tickWork.observe(0.0002);
    m.tickWork.observe(0.004);
    const d = parseSample(await m.registry.metrics(), 3000);
    expect(tickWindow(c, d, 'tickWork')).toMatchObject({ count: 100, p50: bound(0.0002), p99: bound(0.0002), max: bound(0.004) });
    expect(tickWindow(c, d)).toBeUndefined(); // no whole tick in that window

    expect(b.bytesOut).toBe(12345);
    expect(b.rooms).toBe(2);
    expect(b.clients).toBe(20);
    expect(b.tickOverruns).toBe(3);
    expect(b.closes).toEqual({ '4011': 1 });
    expect(b.cpuSeconds).toBeGreaterThan(0);
    expect(b.rssBytes).toBeGreaterThan(0);
  });

  it("counts the gateway processes' CPU as the server's", async () => {
    let gatewayCpu = 1.5;
    const m = new Metrics({ ...sources, gatewayCpuSeconds: () => gatewayCpu, gatewayConnections: () => 7 });
    const text = await m.registry.metrics();
    expect(text).toMatch(/^tickforge_gateway_cpu_seconds_total 1\.5$/m);
    expect(text).toMatch(/^tickforge_gateway_connections 7$/m);
    const own = (name: string) => Number(new RegExp(`^tickforge_process_cpu_${name}_seconds_total (\\S+)$`, 'm').exec(text)![1]);
    expect(parseSample(text, 0).cpuSeconds).toBeCloseTo(own('user') + own('system') + 1.5, 6);
    gatewayCpu = 2.5;
    const b = await m.registry.metrics();
    expect(parseSample(b, 1000).cpuSeconds).toBeCloseTo(Number(/^tickforge_process_cpu_seconds_total (\S+)$/m.exec(b)![1]) + 2.5, 6);
  });
});
