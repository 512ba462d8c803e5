/**
 * `npm run replay` on a committed recording: a real arena match (8 loadtest bots on a live server
 * with RECORD_DIR, fixtures/README.md says how it was made) verifies at every recorded hash; the
 * same file with one byte of one input frame changed fails at the first hash after that frame;
 * `--to TICK` prints that tick's state, whose hash is the recorded one.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecording } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { main } from '../../src/recording/replay-cli';

const fixture = fileURLToPath(new URL('./fixtures/arena-8-bots.tfrec', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tickforge-replay-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run replay', () => {
  const original = readFileSync(fixture);
  const rec = readRecording(original, () => arena.input.bytes);
  /** Where a frame's bytes sit in the file (readRecording returns views into the buffer it read). */
  const at = (view: Uint8Array) => view.byteOffset - original.byteOffset;

  it('verifies every recorded hash of the fixture match', () => {
    const r = run(fixture);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`verified ${rec.lastTick} ticks (${rec.hashes.size} state hashes) of arena room ${rec.header.roomId}, ticks 1..${rec.lastTick}`);
    expect(rec.header.tickRate).toBe(30);
    expect(new Set(rec.ticks.flatMap((t) => t.joins.map((j) => j.id))).size).toBe(8);
  });

  it('fails at the first hash after one changed input byte, naming the tick and the field', () => {
    const bytes = new Uint8Array(readFileSync(fixture));
    // A frame written out in its own record (not "same as the previous frame"), after the first seconds.
    const t = rec.ticks.find((x) => x.tick > 200 && x.inputs.some((i) => at(i.bytes) > x.offset))!;
    const frame = t.inputs.find((i) => at(i.bytes) > t.offset)!;
    bytes[at(frame.bytes)] = bytes[at(frame.bytes)] === 1 ? 0 : 1; // dx to another valid value
    const file = join(scratch, 'one-byte.tfrec');
    writeFileSync(file, bytes);
    const r = run(file);
    expect(r.code).toBe(1);
    const hashTick = Math.ceil(t.tick / rec.header.hashEvery) * rec.header.hashEvery;
    expect(r.out).toMatch(
      new RegExp(`^state differs at tick ${hashTick}: recorded hash [0-9a-f]{8}, replayed [0-9a-f]{8} \\(last matching hash at tick ${hashTick - rec.header.hashEvery}\\)`),
    );
    expect(r.out).toMatch(/first differing field \(state at tick \d+, recorded ≠ replayed\): players\.\d+\.\w+: /);
  });

  it('--to TICK prints that tick state as JSON, with the recorded hash', () => {
    const tick = [...rec.hashes.keys()][5]!;
    const r = run(fixture, '--to', String(tick));
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.out) as { tick: number; hash: number; state: { players: Record<string, unknown> } };
    expect(printed.tick).toBe(tick);
    expect(printed.hash).toBe(rec.hashes.get(tick));
    expect(Object.keys(printed.state.players).length).toBeGreaterThan(0);
  });

  it('refuses what it cannot use, with exit 2', () => {
    expect(run().code).toBe(2);
    expect(run(fixture, '--to', 'x').code).toBe(2);
    const notOne = join(scratch, 'not.tfrec');
    writeFileSync(notOne, 'hello');
    const r = run(notOne);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('not a Tickforge recording') });
  });
});
