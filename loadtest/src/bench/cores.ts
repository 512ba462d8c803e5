/** Which cores the bench may pin to, and whether it can (taskset). */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The cores this process may run on (its affinity), lowest first. */
export function allowedCores(): number[] {
  try {
    const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
    const list = out.split(':').pop()!.trim();
    const cores: number[] = [];
    for (const part of list.split(',')) {
      const [a, b] = part.split('-').map(Number);
      for (let c = a!; c <= (b ?? a!); c++) cores.push(c);
    }
    return cores;
  } catch {
    return Array.from({ length: availableParallelism() }, (_, i) => i);
  }
}

/** Median of the finite numbers in `xs` (null when there are none). */
export function median(xs: ReadonlyArray<number | null | undefined>): number | null {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
