/**
 * The live progress line: rewritten in place on a terminal, one line every 5 s otherwise (CI logs).
 */
import type { TimelinePoint } from './report/report';
import { num } from './report/summary-table';

export class ProgressLine {
  private lastPrinted = -Infinity;

  constructor(
    private readonly target: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(p: TimelinePoint, phase: string, elapsed: number, total: number): void {
    const line =
      `[${phase} ${num(elapsed, 0)}/${num(total, 0)} s] connected ${p.connected}/${this.target}` +
      ` · patches/s ${p.patchesPerS} (${p.connected ? num(p.patchesPerS / p.connected, 1) : '—'}/bot)` +
      ` · RTT p99 ${p.rttP99Ms === null ? '—' : `${num(p.rttP99Ms, 1)} ms`}` +
      ` · tick p99 ${p.tickP99Ms === null ? '—' : `≤${num(p.tickP99Ms, 2)} ms`}` +
      ` · server CPU ${p.serverCpuCores === null ? '—' : num(p.serverCpuCores, 2)}` +
      ` · errors ${p.errors}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line}`);
    } else if (elapsed - this.lastPrinted >= 5) {
      this.lastPrinted = elapsed;
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends the in-place line so what follows starts on a fresh one. */
  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
