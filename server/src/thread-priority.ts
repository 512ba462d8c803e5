/**
 * The room's thread first. A Node process runs V8's helper threads beside its event loop (the
 * platform's workers: concurrent compilation, GC sweeping and marking) and, once used, libuv's
 * thread pool. They sleep most of the time, and the scheduler favours a thread that wakes after a
 * sleep: on a busy core each one takes it from the event loop as it wakes, in the middle of a
 * tick. Measured with `perf record -e sched:sched_switch` on the server's core (200 bigworld
 * players, 5 s, the sockets in a gateway on the other core): the event loop was preempted 59
 * times, 48 of them by V8's workers, for up to 2.8 ms each.
 *
 * Lowered by 10, they still preempt it (Linux's EEVDF scheduler gives a nice thread its smaller
 * share in turns), but for less. What it is worth, measured (single runs, `--preset bigworld`,
 * server pinned to one core, bots on the other):
 * - With the gateway on the server's core, where the gateway's own threads are lowered too
 *   (HELPER_THREAD_NICENESS applies to both), three interleaved pairs: tick p50 / p99 at
 *   niceness 0 were 3.16-3.76 / 6.3-7.5 ms, at 10 2.23 / 5.3-6.3 ms.
 * - With the gateway moved to the other core, the helpers alone: 4.9 and 5.3 ms against 5.8 and
 *   6.9 ms at p99 (two runs each).
 * - In one process, where the socket writes take half the tick, two interleaved pairs showed no
 *   difference.
 *
 * So at start the server lowers every thread but the event loop's by `HELPER_THREAD_NICENESS`
 * (10 by default; 0 leaves them alone), and a gateway process (gateway-process.ts) lowers all of
 * its own by as much. Their work still gets done: on an idle core niceness
 * changes nothing, and on a busy one they run when the event loop waits, between ticks. Linux
 * only (threads are listed in /proc/self/task, and a thread id is a valid target of
 * setpriority); elsewhere it does nothing.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the priority of this process's threads by `niceness` below the main thread's: all but
 * the main one ('helpers'), or every one ('all': a gateway process, which must not take the core
 * from a room). Returns how many it lowered. Threads started later (libuv's pool is started on
 * first use) take the priority of the thread that starts them, so call it once the process is up.
 */
export function lowerThreads(niceness: number, which: 'helpers' | 'all'): number {
  if (niceness <= 0 || process.platform !== 'linux') return 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  const target = Math.min(19, getPriority() + niceness);
  let lowered = 0;
  for (const tid of tids) {
    const id = Number(tid);
    if (id === process.pid && which === 'helpers') continue;
    try {
      if (getPriority(id) < target) setPriority(id, target);
      lowered++;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return lowered;
}
