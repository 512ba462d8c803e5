import { describe, expect, it } from 'vitest';
import { PATCH_WRAP, PatchClock, unwrapAck, unwrapPatchTick, wrapPatchNumber } from './patch-clock';

describe('patch header ticks (u16 on the wire)', () => {
  it('unwrap to the first tick at or after the previous one, across the 65536 wrap', () => {
    const clock = new PatchClock();
    clock.welcome(65530);
    const got: number[] = [];
    for (let tick = 65531; tick <= 65545; tick++) got.push(clock.patchTick(wrapPatchNumber(tick)));
    expect(got).toEqual(Array.from({ length: 15 }, (_, i) => 65531 + i));
    expect(clock.tick).toBe(65545);
    // The second wrap and far beyond: the arithmetic holds up to 2^53.
    expect(unwrapPatchTick(wrapPatchNumber(2 * PATCH_WRAP + 3), 2 * PATCH_WRAP - 2)).toBe(2 * PATCH_WRAP + 3);
    expect(unwrapPatchTick(wrapPatchNumber(2 ** 40 + 7), 2 ** 40 - 9)).toBe(2 ** 40 + 7);
  });

  it('are exact for any gap below 65536 (a RESYNC after skipped patches), and a repeated tick stays put', () => {
    expect(unwrapPatchTick(wrapPatchNumber(65530 + 300), 65530)).toBe(65830);
    expect(unwrapPatchTick(wrapPatchNumber(100 + 65535), 100)).toBe(65635);
    // A RESYNC of the tick whose PATCH just came (after RESYNC_REQUEST) carries the same tick.
    expect(unwrapPatchTick(wrapPatchNumber(65537), 65537)).toBe(65537);
    // A gap of exactly 65536 is where it would go wrong: the server never sends one (snapshot-sender.ts).
    expect(unwrapPatchTick(wrapPatchNumber(100 + PATCH_WRAP), 100)).toBe(100);
  });
});

describe('patch header acks (u16 on the wire)', () => {
  it('unwrap to the newest sequence sent with those low 16 bits, across the wrap', () => {
    const clock = new PatchClock();
    const got: number[] = [];
    for (let seq = 65530; seq <= 65545; seq++) {
      clock.sent = seq;
      got.push(clock.ack(wrapPatchNumber(seq - 3))); // three inputs in flight or queued
    }
    expect(got).toEqual(Array.from({ length: 16 }, (_, i) => 65527 + i));
    expect(unwrapAck(wrapPatchNumber(65536), 65536)).toBe(65536);
    expect(unwrapAck(wrapPatchNumber(65535), 65537)).toBe(65535);
  });

  it('read an ack far behind (a queue of 128, the room limit) and no input yet (0) exactly', () => {
    expect(unwrapAck(wrapPatchNumber(70000 - 128), 70000)).toBe(70000 - 128);
    expect(unwrapAck(0, 0)).toBe(0);
    expect(unwrapAck(0, 65536)).toBe(65536);
    // An ack ahead of every input sent (inputs written around the clock) reads as the wire value.
    expect(unwrapAck(5, 2)).toBe(5);
  });
});
