/**
 * Records one room into the recording format (shared/src/replay/recording-format.ts). On the tick
 * it only appends a few bytes to an in-memory buffer (a tick with nothing applied writes nothing);
 * the buffer goes to the sink in chunks, about once a second or every 64 KiB, and the sink writes
 * asynchronously, so the tick never waits for a disk. A crash loses at most the unflushed second:
 * the file on disk is a readable prefix.
 *
 * Bounded: the recording ends itself (END record "size limit" / "duration limit") at `maxBytes`
 * or after `maxTicks`; the room keeps running.
 */
import type { Schema } from '@colyseus/schema';
import { PROTOCOL_VERSION, RecordingWriter, captureState, type ModePlayer, type PlayerInput } from '@tickforge/shared';
import type { RecorderStatus, RecordingStart, TickRecorder } from '../room/tick-recorder';

/** Where a recording's bytes go: a file (recording-file.ts) or memory (tests). */
export interface RecordingSink {
  /** Queues bytes to append; never blocks. */
  write(bytes: Uint8Array): void;
  /** Flushes and closes. */
  close(): Promise<void>;
}

export interface RecorderOptions {
  /** Ticks between two keyframes (plain-JSON state, to name a differing field); a multiple of hashEvery. Default: 10 s. */
  keyframeEvery?: number;
  /** Bytes at which the recording ends itself. Default 64 MiB. */
  maxBytes?: number;
  /** Ticks after which it ends itself. Default: 2 hours. */
  maxTicks?: number;
  /** Hand the buffer to the sink at this many bytes... */
  flushBytes?: number;
  /** ...or after this many ticks. Default: one second. */
  flushEveryTicks?: number;
  /** Name shown by the admin API (the file's path). */
  name?: string;
}

export class RoomRecorder implements TickRecorder {
  private readonly writer = new RecordingWriter();
  private readonly keyframeEvery: number;
  private readonly maxBytes: number;
  private readonly lastTick: number;
  private readonly flushBytes: number;
  private readonly flushEveryTicks: number;
  private readonly writeInput: (w: Parameters<Parameters<RecordingWriter['tick']>[4]>[0], i: number) => void;
  private inputs: readonly PlayerInput<unknown>[] = [];
  private lastFlush: number;
  private lastSeen: number;
  private flushed = 0;
  private closing: Promise<void> | undefined;
  readonly status: RecorderStatus;

  constructor(
    start: RecordingStart,
    private readonly sink: RecordingSink,
    options: RecorderOptions = {},
  ) {
    const hashEvery = start.hashEvery;
    const keyframeEvery = options.keyframeEvery ?? 10 * start.tickRate;
    this.keyframeEvery = Math.max(hashEvery, Math.round(keyframeEvery / hashEvery) * hashEvery);
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.lastTick = start.startTick + (options.maxTicks ?? 2 * 3600 * start.tickRate);
    this.flushBytes = options.flushBytes ?? 64 * 1024;
    this.flushEveryTicks = options.flushEveryTicks ?? start.tickRate;
    this.lastFlush = start.startTick;
    this.lastSeen = start.startTick;
    this.status = { file: options.name ?? '(memory)', bytes: 0, startTick: start.startTick };
    const layout = start.mode.input;
    this.writeInput = (w, i) => layout.write(w, this.inputs[i]!.input);
    this.writer.magic();
    this.writer.header({
      format: 1,
      mode: start.mode.name,
      modeVersion: String(start.mode.version ?? '1'),
      protocolVersion: PROTOCOL_VERSION,
      tickRate: start.tickRate,
      seed: start.seed,
      roomId: start.roomId,
      startedAt: new Date().toISOString(),
      startTick: start.startTick,
      draws: start.draws,
      hashEvery,
      maxRewindTicks: start.maxRewindTicks,
      ...(start.state ? { state: captureState(start.state), players: start.players.map((p) => ({ id: p.id, name: p.name })) } : {}),
    });
    this.flush();
  }

  tick(tick: number, leaves: readonly ModePlayer[], joins: readonly ModePlayer[], inputs: readonly PlayerInput<unknown>[]): void {
    if (this.status.ended) return;
    // The loop skips tick numbers it dropped after a stall: the replay must skip them too.
    if (tick > this.lastSeen + 1) this.writer.skipped(this.lastSeen + 1, tick - this.lastSeen - 1);
    this.lastSeen = tick;
    if (leaves.length > 0 || joins.length > 0 || inputs.length > 0) {
      this.inputs = inputs;
      this.writer.tick(tick, leaves, joins, inputs, this.writeInput);
      this.inputs = [];
    }
    if (tick >= this.lastTick) return void this.end(tick, 'duration limit');
    if (this.flushed + this.writer.pending >= this.maxBytes) return void this.end(tick, 'size limit');
    if (this.writer.pending >= this.flushBytes || tick - this.lastFlush >= this.flushEveryTicks) {
      this.lastFlush = tick;
      this.flush();
    }
  }

  hash(tick: number, hash: number, state: Schema): void {
    if (this.status.ended) return;
    this.writer.hash(tick, hash);
    if (tick % this.keyframeEvery === 0) this.writer.keyframe(tick, state.toJSON());
  }

  end(tick: number, reason: string): Promise<void> {
    if (this.closing) return this.closing;
    this.status.ended = reason;
    this.writer.end(tick, reason);
    this.flush();
    this.closing = this.sink.close();
    return this.closing;
  }

  private flush(): void {
    if (this.writer.pending === 0) return;
    const bytes = this.writer.take();
    this.flushed += bytes.byteLength;
    this.status.bytes = this.flushed;
    this.sink.write(bytes);
  }
}
