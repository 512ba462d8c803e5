/**
 * Recording and replay, as a specification: a room records what its simulation applied, and a
 * re-simulation from that log reaches the same state hash at every recorded tick; one changed
 * byte in one input frame is caught at the first hash after it, with the field named; a log cut
 * mid-record still replays up to where it stops; a recording started on a running room replays too.
 */
import { describe, expect, it } from 'vitest';
import { RecordType, readRecording, seededRandom, verifyRecording, type Recording } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { createHarness } from '../../src/harness';
import { RoomRecorder } from '../../src/recording/room-recorder';
import { memorySink } from '../../src/recording/recording-file';
import { historyFor } from '../../src/recording/replay-cli';

/** An arena match of `players` scripted bots; starts recording at `recordFrom` (0: from creation). */
function recordMatch(ticks: number, players = 6, recordFrom = 0) {
  const h = createHarness(arena, { seed: 42 });
  const sink = memorySink();
  const rng = seededRandom(9);
  const bots = Array.from({ length: players }, (_, i) => h.join(`bot${i + 1}`));
  const start = () => h.room.startRecording((s) => new RoomRecorder(s, sink, { keyframeEvery: 30 }));
  if (recordFrom === 0) start();
  let late = false;
  for (let t = 1; t <= ticks; t++) {
    if (t === recordFrom) start();
    for (const b of bots) {
      if (b.closed) continue;
      b.input({ dx: Math.floor(rng() * 3) - 1, dy: Math.floor(rng() * 3) - 1, aim: rng() * 6.28, fire: rng() < 0.2 });
    }
    if (t === Math.floor(ticks / 3)) bots[0]!.leave();
    if (t === Math.floor(ticks / 2) && !late) {
      late = true;
      bots.push(h.join('latecomer'));
    }
    h.step();
  }
  return { h, sink };
}

async function finish(r: ReturnType<typeof recordMatch>): Promise<Uint8Array> {
  await r.h.room.stopRecording();
  return r.sink.bytes();
}

const read = (bytes: Uint8Array): Recording => readRecording(bytes, () => arena.input.bytes);

describe('recording a room and replaying it', () => {
  it('replays every recorded tick to the same state hash, ending where the room was', async () => {
    const r = recordMatch(600);
    const finalHash = r.h.room.tick;
    const bytes = await finish(r);
    const rec = read(bytes);
    expect(rec.header).toMatchObject({ mode: 'arena', tickRate: 30, seed: 42, startTick: 0, hashEvery: 15 });
    expect(rec.hashes.size).toBe(40);
    expect(rec.end).toEqual({ tick: finalHash, reason: 'stopped' });
    const result = verifyRecording(arena as never, rec, historyFor(rec.header));
    expect(result).toEqual({ ok: true, ticks: 600, hashes: 40, lastTick: 600 });
  });

  it('one byte changed in one input frame fails at the first hash after it, naming the field', async () => {
    const bytes = await finish(recordMatch(300));
    const rec = read(bytes);
    // A movement frame of tick 100: flip its dx (byte 0 of the frame) to another valid value.
    const t = rec.ticks.find((x) => x.tick >= 100 && x.inputs.length > 0)!;
    const frame = t.inputs[0]!;
    const at = frame.bytes.byteOffset; // offset into `bytes` (readRecording returns views)
    bytes[at] = bytes[at] === 1 ? 0 : 1;
    const result = verifyRecording(arena as never, read(bytes), historyFor(read(bytes).header));
    expect(result.ok).toBe(false);
    if (result.ok || 'error' in result) throw new Error('expected a hash mismatch');
    const firstHashAfter = Math.ceil(t.tick / 15) * 15;
    expect(result.tick).toBe(firstHashAfter);
    expect(result.lastGoodTick).toBe(firstHashAfter - 15);
    // The moved player (or one it shot, in key order first) differs at the next keyframe.
    expect(result.fieldTick).toBe(Math.ceil(firstHashAfter / 30) * 30);
    expect(result.field).toMatch(/^players\.\d+\.(x|y|sx|sy|dir|since|hp|score|aim): \d+(\.\d+)? ≠ \d+(\.\d+)?$/);
  });

  it('a log cut mid-record replays its readable prefix', async () => {
    const bytes = await finish(recordMatch(120));
    const rec = read(bytes.subarray(0, Math.floor(bytes.byteLength * 0.6)));
    expect(rec.truncated).toBe(true);
    expect(rec.end).toBeUndefined();
    const result = verifyRecording(arena as never, rec, historyFor(rec.header));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.hashes).toBeGreaterThan(2);
  });

  it('a recording started on a running room starts from its whole state and replays', async () => {
    const bytes = await finish(recordMatch(300, 4, 150));
    const rec = read(bytes);
    expect(rec.header.startTick).toBe(149);
    expect(rec.header.draws).toBeGreaterThan(0);
    const result = verifyRecording(arena as never, rec, historyFor(rec.header));
    expect(result).toMatchObject({ ok: true, ticks: 151 });
  });

  it('is compact: ticks without applied input write nothing, a frame costs 6 B + the input', async () => {
    const h = createHarness(arena, { seed: 1 });
    const sink = memorySink();
    h.join('idle');
    h.room.startRecording((s) => new RoomRecorder(s, sink));
    h.step(90);
    await h.room.stopRecording();
    const rec = read(sink.bytes());
    expect(rec.ticks.map((t) => t.tick)).toEqual([1]); // the join, then nothing
    expect(RecordType.TICK).toBe(2);
  });
});
