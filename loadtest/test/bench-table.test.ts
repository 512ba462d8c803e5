import { describe, expect, it } from 'vitest';
import { mediansTable, type BenchRun } from '../src/bench/bench-table';
import { median } from '../src/bench/cores';
import type { Report } from '../src/report/report';

/** A report with only what the medians table reads (the rest is not looked at). */
function report(cpu: number, p99: number, work: number | null): Report {
  return {
    server: {
      cpuMsPerClientSecond: cpu,
      bytesOutPerClientSecond: 1000 + cpu,
      tick: { p50: p99 / 2, p99 },
      tickWork: work === null ? null : { p50: work / 2, p99: work },
    },
    bots: { ack: { p50: 30 } },
  } as unknown as Report;
}

describe('the bench medians', () => {
  it('takes the median of the numbers only, even and odd counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, undefined, Number.NaN])).toBeNull();
    expect(median([null, 5])).toBe(5);
  });

  it('gives one row per repeated scale, with the median of its runs, and none for a single run', () => {
    const runs: BenchRun[] = [
      { scale: 'a', report: report(1.0, 9, 8) },
      { scale: 'b', report: report(2.0, 5, null) },
      { scale: 'a', report: report(3.0, 5, 4) },
      { scale: 'c', report: undefined, problem: 'no report' },
      { scale: 'a', report: report(2.5, 7, 6) },
      { scale: 'c', report: report(9, 9, 9) },
    ];
    const rows = mediansTable(runs)!.split('\n');
    expect(rows).toHaveLength(2 + 1); // header, rule, scale a (b ran once, c has one report)
    expect(rows[2]).toBe('| a | 3 | 2.500 | 1,003 | 3.50 / 7.00 | 3.00 / 6.00 | 30.0 |');
    expect(mediansTable([{ scale: 'a', report: report(1, 1, 1) }])).toBeUndefined();
  });
});
