/**
 * The seam between a room and its recording (server/src/recording/): the room calls the recorder
 * from its tick with what the simulation applies, in the order it applies it, and with the state
 * hash every `hashEvery` ticks. The recorder only copies bytes into a buffer there; writing to disk
 * happens off the tick (room-recorder.ts).
 */
import type { Schema } from '@colyseus/schema';
import type { ModeDefinition, ModePlayer, PlayerInput } from '@tickforge/shared';

/** What a recording's header needs, as the room knows it when recording starts. */
export interface RecordingStart {
  roomId: string;
  mode: ModeDefinition<Schema, unknown>;
  tickRate: number;
  seed: number;
  /** The last tick run (0: the room has not ticked; the replay runs `create` from the seed). */
  startTick: number;
  /** Random draws made so far (0 when startTick is 0). */
  draws: number;
  /** The live state when recording starts on a running room (to capture now), else undefined. */
  state: Schema | undefined;
  /** Players the mode knows at startTick (seated and held). */
  players: readonly ModePlayer[];
  hashEvery: number;
  /** The lag-compensation bound of the room's position history. */
  maxRewindTicks: number;
}

export interface TickRecorder {
  /** One tick's leaves, joins and input frames, called just before `mode.tick`. */
  tick(tick: number, leaves: readonly ModePlayer[], joins: readonly ModePlayer[], inputs: readonly PlayerInput<unknown>[]): void;
  /** The state hash of `tick`, after the tick (every hashEvery ticks). */
  hash(tick: number, hash: number, state: Schema): void;
  /** Writes the END record and closes the log; resolves when everything is on disk. */
  end(tick: number, reason: string): Promise<void>;
  /** For the admin API: where it writes, how much, and why it stopped. */
  readonly status: RecorderStatus;
}

export interface RecorderStatus {
  file: string;
  bytes: number;
  startTick: number;
  /** Set once the recording ended (a limit, stop, or the room's end). */
  ended?: string;
}
