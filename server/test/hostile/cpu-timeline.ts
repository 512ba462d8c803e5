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
