/**
 * docs/protocol.md lists exactly the codes the server can answer with (as Fastify's
 * test/internals/errors.test.js does for FST_ERR_*): every HTTP error code with its status, every
 * close code; and every close reason fits a close frame (123 bytes of UTF-8).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CloseReasons, MAX_CLOSE_REASON_BYTES, fitReason, type CloseReason } from './close-reasons';
import { CloseCode } from './constants';
import { HttpErrorStatus } from './errors';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');
const rows = doc.split('\n').filter((l) => l.startsWith('|'));
const bytes = (s: string) => new TextEncoder().encode(s).byteLength;

/** `| status | \`CODE\` | when |` rows of the doc's HTTP error tables, by code. */
const documentedHttp = new Map(
  rows.flatMap((r) => {
    const m = /^\|\s*(\d{3})\s*\|\s*`((?:TF|FST)_ERR_[A-Z0-9_]+)`/.exec(r);
    return m ? [[m[2]!, Number(m[1])] as const] : [];
  }),
);
/** `| code | meaning |` rows of the doc's close code table. */
const documentedClose = new Set(rows.flatMap((r) => (/^\|\s*([14]\d{3})\s*\|/.exec(r) ? [Number(/^\|\s*(\d{4})/.exec(r)![1])] : [])));

type Entries = typeof CloseReasons;
type ReasonFunctions = { [K in keyof Entries as Entries[K] extends (...args: never[]) => CloseReason ? K : never]: Entries[K] };

/** The longest details each reason function can be given (a new function without one fails to compile). */
const long = 'é'.repeat(200);
const worstCases: { [K in keyof ReasonFunctions]: Parameters<ReasonFunctions[K]> } = {
  modeFailed: [long, 2 ** 53],
  frameRefused: [1009, long],
  inputLength: [2 ** 53, 2 ** 53],
  badInput: [long],
  inputSequenceBack: [2 ** 53, 2 ** 53],
  inputSequenceJump: [2 ** 53, 2 ** 53],
  pingLength: [2 ** 53],
  chatTooLong: [2 ** 53],
  unknownMessageType: [0xff],
  resyncRequestLength: [2 ** 53],
  desyncReportLength: [2 ** 53, 2 ** 53],
};

/** Every reason of the table: the fixed ones, and the functions at their worst case. */
function everyReason(): [string, CloseReason][] {
  return Object.entries(CloseReasons).map(([name, r]) => {
    if (typeof r !== 'function') return [name, r as CloseReason];
    const args = worstCases[name as keyof ReasonFunctions] as unknown[];
    return [name, (r as (...a: unknown[]) => CloseReason)(...args)];
  });
}

describe('docs/protocol.md', () => {
  it('lists every HTTP error code the server can answer with, with its status, and no other', () => {
    expect(documentedHttp.size).toBeGreaterThan(0);
    expect(Object.fromEntries(documentedHttp)).toEqual(HttpErrorStatus);
  });

  it('lists every close code the server can close with, and no other', () => {
    const codes = new Set<number>(Object.values(CloseCode));
    expect([...documentedClose].sort()).toEqual([...codes].sort());
    for (const [name, [code]] of everyReason()) expect(codes.has(code), `${name}: ${code} is not a CloseCode`).toBe(true);
  });
});

describe('close reasons', () => {
  it(`fit a close frame: at most ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8, even with long details`, () => {
    for (const [name, [, reason]] of everyReason()) {
      expect(bytes(reason), `${name}: "${reason}"`).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
      expect(reason.length, name).toBeGreaterThan(0);
    }
  });

  it('are cut at a character boundary only when too long', () => {
    expect(fitReason('room empty')).toBe('room empty');
    const cut = fitReason('é'.repeat(100));
    expect(bytes(cut)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(cut).toMatch(/^é+\.\.\.$/);
  });
});
