/**
 * `--assert 'tick.p99<5,rtt.p99<50,errors=0,patchRate>28'`: checks on the report's figures, so the
 * loadtest can gate CI. A check on a figure the run could not measure fails (it is not skipped).
 */
import type { AssertionResult, Report } from './report';
import { figures } from './figures';

const OPERATORS = ['<=', '>=', '!=', '==', '<', '>', '='] as const;
type Operator = (typeof OPERATORS)[number];

export interface Check {
  text: string;
  key: string;
  op: Operator;
  limit: number;
}

export class AssertionSyntaxError extends Error {
  override name = 'AssertionSyntaxError';
}

/** Parses the expression; throws AssertionSyntaxError naming each bad part and the known keys. */
export function parseChecks(expr: string, knownKeys: readonly string[]): Check[] {
  const problems: string[] = [];
  const checks: Check[] = [];
  for (const raw of expr.split(',')) {
    const text = raw.trim();
    if (text === '') continue;
    const m = /^([A-Za-z][\w.]*)\s*(<=|>=|!=|==|<|>|=)\s*(-?[\d.]+(?:e-?\d+)?)$/.exec(text);
    if (!m) {
      problems.push(`"${text}" is not KEY<OP>NUMBER (operators ${OPERATORS.join(' ')})`);
      continue;
    }
    const [, key, op, num] = m as unknown as [string, string, Operator, string];
    if (!knownKeys.includes(key)) problems.push(`"${text}": unknown key "${key}"`);
    const limit = Number(num);
    if (!Number.isFinite(limit)) problems.push(`"${text}": ${num} is not a number`);
    checks.push({ text, key, op, limit });
  }
  if (problems.length > 0) throw new AssertionSyntaxError(`--assert: ${problems.join('; ')}. Keys: ${knownKeys.join(', ')}`);
  if (checks.length === 0) throw new AssertionSyntaxError('--assert: no check given');
  return checks;
}

export function evaluateChecks(checks: readonly Check[], report: Report): AssertionResult[] {
  const byKey = new Map(figures(report).map((f) => [f.key, f]));
  return checks.map((c) => {
    const fig = byKey.get(c.key);
    const actual = fig?.value ?? null;
    if (actual === null || Number.isNaN(actual)) {
      return { text: c.text, key: c.key, ok: false, actual: null, message: `${c.text}: not measured in this run` };
    }
    const ok = compare(actual, c.op, c.limit);
    const shown = `${formatNumber(actual)}${fig?.unit && fig.unit !== '/s' ? ` ${fig.unit}` : ''}`;
    return { text: c.text, key: c.key, ok, actual, message: `${c.text}: ${ok ? 'holds' : 'FAILED'}, ${c.key} is ${shown}` };
  });
}

/** The keys --assert accepts (from the figures of any report). */
export function assertKeys(report: Report): string[] {
  return figures(report).map((f) => f.key);
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
