/**
 * Latency histograms (hdr-histogram-js): values are recorded in microseconds, merged across
 * worker threads by their compressed encoding, and read back as milliseconds.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** A histogram of microseconds: 3 significant digits, up to 60 s (larger values are clamped). */
export function latencyHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: false });
}

const MAX_US = 60_000_000;

/** Records a duration given in milliseconds. */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(us < 1 ? 1 : us > MAX_US ? MAX_US : us);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Merges encoded histograms (from several workers) into one. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = latencyHistogram();
  for (const e of encoded) {
    const h = hdr.decodeFromCompressedBase64(e, 32, false);
    total.add(h);
    h.destroy();
  }
  return total;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles in milliseconds; undefined when nothing was recorded. */
export function summarize(h: Histogram): LatencySummary | undefined {
  if (h.totalCount === 0) return undefined;
  return {
    count: h.totalCount,
    p50: h.getValueAtPercentile(50) / 1000,
    p99: h.getValueAtPercentile(99) / 1000,
    max: h.maxValue / 1000,
    mean: h.mean / 1000,
  };
}
