/**
 * This process's CPU time over wall time, sampled every few milliseconds, to tell a pause the
 * server caused (it was working) from one the machine caused (it was waiting for a core). On a
 * 2-core machine shared with other test runs, a process can go unscheduled for hundreds of ms.
 */
export class CpuTimeline {
  private readonly at: number[] = [];
  private readonly cpuMs: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(everyMs = 10): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** CPU ms (user + system, all threads) this process used over a window covering [from, to] (performance.now()). */
  usedBetween(from: number, to: number): number {
    const i = Math.max(0, this.lastAtOrBefore(from));
    const j = Math.min(this.at.length - 1, this.lastAtOrBefore(to) + 1);
    return this.cpuMs[j]! - this.cpuMs[i]!;
  }

  private sample(): void {
    const u = process.cpuUsage();
    this.at.push(performance.now());
    this.cpuMs.push((u.user + u.system) / 1000);
  }

  private lastAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.at.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

export interface Pause {
  /** Ticks between the two patches. */
  ticks: number;
  /** Wall-clock ms between them. */
  ms: number;
  /** CPU ms this process used across the gap. */
  cpuMs: number;
}

/**
 * The gaps between consecutive patch arrivals that span more than `maxTicks` ticks, or more than
 * `maxTicks` ticks + `slackMs` of wall time, each with the CPU this process used across it. A pause
 * with less than `maxTicks` ticks of CPU is the machine's (the process waited for a core); one
 * with more is the server's (it was working instead of sending patches).
 */
export function pausesIn(
  arrivals: ReadonlyArray<{ tick: number; at: number }>,
  cpu: CpuTimeline,
  o: { tickMs: number; maxTicks: number; slackMs: number },
): { all: Pause[]; serverCaused: Pause[] } {
  const all: Pause[] = [];
  for (let i = 1; i < arrivals.length; i++) {
    const [a, b] = [arrivals[i - 1]!, arrivals[i]!];
    if (b.tick - a.tick > o.maxTicks || b.at - a.at > o.maxTicks * o.tickMs + o.slackMs) {
      all.push({ ticks: b.tick - a.tick, ms: +(b.at - a.at).toFixed(1), cpuMs: +cpu.usedBetween(a.at, b.at).toFixed(1) });
    }
  }
  return { all, serverCaused: all.filter((p) => p.cpuMs > o.maxTicks * o.tickMs) };
}
