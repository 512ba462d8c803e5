/**
 * Where the CPU went: the top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`),
 * and the same time grouped into broad kinds (socket writes, schema encoding, rules...).
 *
 *   node --import tsx loadtest/src/bench/profile-summary.ts FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time the thread was idle (waiting in the event loop), excluded from the shares. */
  idleMs: number;
  top: ProfileEntry[];
  kinds: Array<{ kind: string; selfMs: number; share: number }>;
}

/** Broad kinds, the first that matches a function (its name and where it is) wins. */
const KINDS: Array<[string, (name: string, where: string) => boolean]> = [
  ['garbage collection', (n) => n === '(garbage collector)'],
  ['socket writes (syscalls)', (n) => /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeGeneric|writevGeneric|handleWriteReq)$/.test(n)],
  ['performance.now() (clock reads)', (n, w) => w.startsWith('node:internal/validators') || (n === 'now' && w.startsWith('node:internal/perf'))],
  ['socket reads / ws frame parsing', (_, w) => /^(node:net|node:internal\/stream_base_commons|node:internal\/streams|ws\/lib\/(receiver|buffer-util|websocket))/.test(w)],
  ['ws framing / sending', (_, w) => w.startsWith('ws/lib/sender')],
  ['schema encoding', (n, w) => w.startsWith('@colyseus/schema') && /encode|change|discard|track|touch|operation/i.test(n)],
  ['schema (other)', (_, w) => w.startsWith('@colyseus/schema')],
  ['game rules (modes)', (_, w) => w.startsWith('shared/src/modes') || w.startsWith('shared/src/mode-api/')],
  ['protocol encode/decode', (_, w) => w.startsWith('shared/src/protocol')],
  ['room / tick loop / game socket', (_, w) => /^server\/src\/(room|tick-loop|game-socket|rate-limiter|clock)/.test(w)],
  ['metrics (prom-client)', (_, w) => w.startsWith('prom-client') || w.startsWith('server/src/metrics')],
  ['HTTP (fastify)', (_, w) => /^(fastify|find-my-way|light-my-request|avvio|@fastify)/.test(w)],
  ['other JavaScript', (_, w) => w !== ''],
  ['native / program', () => true],
];

/**
 * `window`, when given, keeps only the samples taken between `fromEndMs` and `toEndMs`
 * milliseconds before the profile ended (the bench uses it to cut start-up and shutdown away).
 */
export function summarizeProfile(profile: CpuProfile, top = 25, window?: { fromEndMs: number; toEndMs: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = window ? profile.endTime - window.fromEndMs * 1000 : -Infinity;
  const to = window ? profile.endTime - window.toEndMs * 1000 : Infinity;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < from || time > to) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, { name: string; where: string; us: number }>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    const name = cf.functionName || '(anonymous)';
    totalUs += us;
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const e = byFunction.get(key) ?? { name, where, us: 0 };
    e.us += us;
    byFunction.set(key, e);
  }
  const busyUs = totalUs - idleUs;
  const entries = [...byFunction.values()].sort((a, b) => b.us - a.us);
  const kinds = new Map<string, number>();
  for (const e of entries) {
    const kind = KINDS.find(([, test]) => test(e.name, e.where))![0];
    kinds.set(kind, (kinds.get(kind) ?? 0) + e.us);
  }
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    top: entries.slice(0, top).map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: e.us / busyUs })),
    kinds: [...kinds.entries()].sort((a, b) => b[1] - a[1]).map(([kind, us]) => ({ kind, selfMs: us / 1000, share: us / busyUs })),
  };
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*?\/(server|shared|loadtest|client)\/src\//, '$1/src/');
}

export function formatProfileSummary(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [`busy ${(s.totalMs - s.idleMs).toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms profiled`, '', 'by kind (self time):'];
  for (const k of s.kinds) lines.push(`  ${pct(k.share)}  ${k.kind}`);
  lines.push('', 'top functions (self time):');
  for (const e of s.top) lines.push(`  ${pct(e.share)}  ${e.name}  ${e.where}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file || file === '--help') {
    console.log('Usage: node --import tsx loadtest/src/bench/profile-summary.ts FILE.cpuprofile [--top N]');
    process.exit(file ? 0 : 2);
  }
  const topArg = process.argv.indexOf('--top');
  const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 25;
  console.log(formatProfileSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top)));
}
