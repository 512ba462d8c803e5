/**
 * Verifying a recording: re-simulate it (resimulation.ts) and compare every recorded state hash.
 * The first hash that differs names the tick; the state is then compared field by field with the
 * first keyframe at or after it (keyframes are plain JSON of the synced state, every few seconds)
 * to name the first differing field.
 */
import type { Schema } from '@colyseus/schema';
import { firstDifference } from '../protocol/state-hash';
import type { ModeDefinition } from '../mode-api/define-mode';
import type { Recording } from './recording-format';
import { Resimulation, type ReplayHistory } from './resimulation';

export type VerifyResult =
  | { ok: true; ticks: number; hashes: number; lastTick: number }
  | {
      ok: false;
      /** The first hashed tick whose state differs. */
      tick: number;
      /** The last hashed tick that still matched (the divergence happened after it). */
      lastGoodTick: number;
      expected: number;
      actual: number;
      /** `path: recorded ≠ replayed`, from the keyframe at `fieldTick`; undefined without a keyframe. */
      field?: string;
      fieldTick?: number;
    }
  | { ok: false; tick: number; lastGoodTick: number; error: string };

export function verifyRecording(mode: ModeDefinition<Schema, unknown>, recording: Recording, history?: ReplayHistory): VerifyResult {
  const sim = new Resimulation(mode, recording, { history });
  const last = recording.lastTick;
  let hashes = 0;
  let lastGood = recording.header.startTick;
  let failed: { tick: number; expected: number; actual: number } | undefined;
  while (sim.tick < last) {
    try {
      sim.step();
    } catch (err) {
      return { ok: false, tick: sim.tick, lastGoodTick: lastGood, error: `the mode threw at tick ${sim.tick}: ${(err as Error).message}` };
    }
    const t = sim.tick;
    const expected = recording.hashes.get(t);
    if (!failed && expected !== undefined) {
      const actual = sim.hash();
      if (actual === expected) {
        hashes++;
        lastGood = t;
      } else {
        failed = { tick: t, expected, actual };
      }
    }
    const keyframe = recording.keyframes.get(t);
    if (keyframe !== undefined) {
      const field = firstDifference(keyframe, sim.state.toJSON());
      if (field) return { ok: false, ...(failed ?? { tick: t, expected: expected ?? 0, actual: sim.hash() }), lastGoodTick: lastGood, field, fieldTick: t };
    }
    if (failed && !hasKeyframeAfter(recording, t)) break;
  }
  if (failed) return { ok: false, ...failed, lastGoodTick: lastGood };
  return { ok: true, ticks: sim.tick - recording.header.startTick, hashes, lastTick: sim.tick };
}

function hasKeyframeAfter(recording: Recording, tick: number): boolean {
  for (const t of recording.keyframes.keys()) if (t > tick) return true;
  return false;
}
