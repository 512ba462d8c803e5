import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs lowerThreads in a fresh process (not this test's) and reads back every thread's niceness. */
function niceAfter(niceness: number, which: 'helpers' | 'all'): { main: number; others: number[] } {
  const module = fileURLToPath(new URL('./thread-priority.ts', import.meta.url));
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    const { lowerThreads } = await import(${JSON.stringify(module)});
    const lowered = lowerThreads(${niceness}, '${which}');
    // Field 19 of /proc/<tid>/stat is the niceness (after the parenthesised name).
    const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
    const tids = readdirSync('/proc/self/task').map(Number);
    console.log(JSON.stringify({ lowered, main: nice(process.pid), others: tids.filter((t) => t !== process.pid).map(nice) }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe.runIf(process.platform === 'linux')('lowering the helper threads', () => {
  it("'helpers' puts every thread but the event loop's below it; 'all' lowers the event loop's too", () => {
    const base = niceAfter(0, 'helpers');
    expect(base.others.length).toBeGreaterThan(2); // V8's workers at least
    expect(new Set([base.main, ...base.others])).toEqual(new Set([base.main]));

    const helpers = niceAfter(5, 'helpers');
    expect(helpers.main).toBe(base.main);
    expect(helpers.others.every((n) => n === Math.min(19, base.main + 5))).toBe(true);

    const all = niceAfter(5, 'all');
    expect(all.main).toBe(Math.min(19, base.main + 5));
    expect(all.others.every((n) => n === all.main)).toBe(true);
  });
});
