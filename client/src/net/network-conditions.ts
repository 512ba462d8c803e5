/**
 * Simulated network conditions for development, read from the page URL:
 *
 *   ?lag=150          added round-trip latency in ms (half on the way up, half on the way down)
 *   &jitter=30        extra random delay per message, uniform in [0, jitter] ms, each direction
 *   &spike=400        a link stall of this many ms: every message in flight waits it out...
 *   &spikeEvery=5     ...on average every this many seconds (default 5)
 *
 * Messages keep their order (the game runs on TCP), so jitter and spikes bunch messages up rather
 * than reorder them — exactly what a browser on a bad link sees.
 */
export interface NetworkConditions {
  lagMs: number;
  jitterMs: number;
  spikeMs: number;
  spikeEveryMs: number;
}

export const NO_SIMULATION: NetworkConditions = { lagMs: 0, jitterMs: 0, spikeMs: 0, spikeEveryMs: 5000 };

const LIMIT_MS = 10_000;

export function parseNetworkConditions(search: string): NetworkConditions {
  const q = new URLSearchParams(search);
  const ms = (name: string, fallback: number, max = LIMIT_MS) => {
    const raw = q.get(name);
    if (raw === null || raw.trim() === '') return fallback;
    const v = Number(raw);
    return Number.isFinite(v) && v >= 0 ? Math.min(v, max) : fallback;
  };
  return {
    lagMs: ms('lag', 0),
    jitterMs: ms('jitter', 0),
    spikeMs: ms('spike', 0),
    spikeEveryMs: Math.max(500, ms('spikeEvery', 5, 3600) * 1000),
  };
}

export function isSimulating(c: NetworkConditions): boolean {
  return c.lagMs > 0 || c.jitterMs > 0 || c.spikeMs > 0;
}

export function describeConditions(c: NetworkConditions): string {
  if (!isSimulating(c)) return 'off';
  const parts = [`lag ${c.lagMs} ms`];
  if (c.jitterMs > 0) parts.push(`jitter ${c.jitterMs} ms`);
  if (c.spikeMs > 0) parts.push(`spikes ${c.spikeMs} ms / ${c.spikeEveryMs / 1000} s`);
  return parts.join(', ');
}
