import { describe, expect, it } from 'vitest';
import { AssertionSyntaxError, evaluateChecks, parseChecks } from '../src/report/assertions';
import { FIGURE_KEYS } from '../src/report/figures';
import type { Report } from '../src/report/report';

/** The parts of a report the figures read, with a p99 tick of 4 ms and RTT p99 of 60 ms. */
function report(): Report {
  return {
    server: { tick: { count: 900, mean: 1, p50: 1, p99: 4, max: 9 }, closes: {}, tickRate: 30, cpuMsPerClientSecond: null },
    bots: { rtt: { count: 10, p50: 1, p99: 60, max: 70, mean: 2 }, ack: null, totalFailures: { 'close:4011': 2 }, errors: 0, limited: false, patchesPerClientSecond: 29.9 },
  } as unknown as Report;
}

describe('--assert', () => {
  it('evaluates each check and names the ones that fail with the measured value', () => {
    const checks = parseChecks('tick.p99<5, rtt.p99<50,errors=0,patchRate>28', FIGURE_KEYS);
    const results = evaluateChecks(checks, report());
    expect(results.map((r) => [r.text, r.ok])).toEqual([
      ['tick.p99<5', true],
      ['rtt.p99<50', false],
      ['errors=0', false],
      ['patchRate>28', true],
    ]);
    expect(results[1]!.message).toBe('rtt.p99<50: FAILED, rtt.p99 is 60 ms');
    expect(results[2]!.message).toBe('errors=0: FAILED, errors is 2');
  });

  it('fails a check on a figure the run did not measure rather than skipping it', () => {
    const [r] = evaluateChecks(parseChecks('server.cpuPerClient<=0.6', FIGURE_KEYS), report());
    expect(r).toMatchObject({ ok: false, actual: null, message: 'server.cpuPerClient<=0.6: not measured in this run' });
  });

  it('refuses unknown keys and malformed checks before any run, listing the keys', () => {
    expect(() => parseChecks('tick.p98<5', FIGURE_KEYS)).toThrow(AssertionSyntaxError);
    expect(() => parseChecks('tick.p98<5', FIGURE_KEYS)).toThrow(/unknown key "tick.p98".*Keys: server.cpu,/);
    expect(() => parseChecks('rtt.p99 ~ 5', FIGURE_KEYS)).toThrow(/not KEY<OP>NUMBER/);
    expect(() => parseChecks(' , ', FIGURE_KEYS)).toThrow(/no check given/);
  });
});
