/**
 * A recording turned into what the viewer shows, tick by tick: it is re-simulated once, up front,
 * with the mode's own rules (shared/src/replay/resimulation.ts), keeping per tick the frames, joins,
 * leaves and events applied, the patch bytes the room sent, and the full state encoded (so any tick
 * can be shown at once, decoded by the client's own decoder, whichever way the timeline moves).
 * Two minutes of arena are 3,600 ticks: a few MB, a fraction of a second.
 */
import { Decoder, type Schema } from '@colyseus/schema';
import { Resimulation, findMode, readRecording, type AppliedTick, type ModeDefinition, type Recording, type ReplayHistory, type RecordingHeader } from '@tickforge/shared';

export interface ShownTick extends AppliedTick {
  /** The state after this tick, encoded whole. */
  full: Uint8Array;
  /** The recorded state hash of this tick, if one was recorded, and the replay's. */
  recordedHash?: number;
  replayedHash?: number;
}

export interface ReplayTicks {
  recording: Recording;
  mode: ModeDefinition<Schema, unknown>;
  ticks: ShownTick[];
  /** The tick a `ticks` index stands for is firstTick + index. */
  firstTick: number;
  /** The first tick whose replayed hash differs from the recorded one, if any. */
  firstMismatch?: number;
}

export function replayTicks(bytes: Uint8Array, history?: (h: RecordingHeader) => ReplayHistory): ReplayTicks {
  let mode: ModeDefinition<Schema, unknown> | undefined;
  const recording = readRecording(bytes, (h) => {
    mode = findMode(h.mode);
    if (!mode) throw new Error(`this build has no mode "${h.mode}"`);
    return mode.input.bytes;
  });
  const sim = new Resimulation(mode!, recording, { patches: true, history: history?.(recording.header) });
  const ticks: ShownTick[] = [{ tick: sim.tick, leaves: [], joins: [], inputs: [], events: [], patch: new Uint8Array(0), full: sim.fullState()! }];
  let firstMismatch: number | undefined;
  while (sim.tick < recording.lastTick) {
    const applied = sim.step();
    const shown: ShownTick = { ...applied, full: sim.fullState()! };
    const recorded = recording.hashes.get(applied.tick);
    if (recorded !== undefined) {
      shown.recordedHash = recorded;
      shown.replayedHash = sim.hash();
      if (shown.replayedHash !== recorded) firstMismatch ??= applied.tick;
    }
    ticks.push(shown);
  }
  return { recording, mode: mode!, ticks, firstTick: recording.header.startTick, firstMismatch };
}

/** The state of a shown tick, decoded from its full state as a client decodes a WELCOME. */
export function decodeState(mode: ModeDefinition<Schema, unknown>, full: Uint8Array, tick: number, tickRate: number): Schema {
  const state = new mode.State();
  new Decoder(state).decode(full);
  // What a client holds after this tick's patch: derived fields (arena's positions from its motion
  // segments) are computed the way GameClient computes them.
  mode.materialize?.(state, tick, tickRate);
  return state;
}
