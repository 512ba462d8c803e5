/**
 * The recording format (docs/replay.md): what a room needs to be re-simulated exactly, and nothing
 * else. A mode is a pure function of its seed and the sequenced inputs, so a recording holds the
 * header (mode, version, tick rate, seed), then per tick the leaves, joins and input frames the
 * simulation applied, in the order it applied them, plus the state hash every few ticks and a
 * plain-JSON keyframe of the state now and then (to name the first differing field).
 *
 * The file is a magic, then records appended one after another: u32 length (of type + payload),
 * u8 type, payload, little-endian. A writer that dies mid-record leaves a readable prefix: the
 * reader stops at the first record that does not fit and says so (`truncated`).
 * A tick with nothing to record writes nothing. An input frame is `u16` player, `u8` flags, then
 * `u32` seq unless flag 1 (seq = that player's previous + 1), then the frame's bytes unless flag 2
 * (the same bytes as that player's previous frame): a player holding a direction costs 3 bytes a tick.
 */
import { ByteReader, ByteWriter, textDecoder, textEncoder } from '../protocol/bytes';

/** "TFRC" then the format version. */
export const RECORDING_MAGIC = Uint8Array.of(0x54, 0x46, 0x52, 0x43, 1);

export const RecordType = {
  HEADER: 1,
  TICK: 2,
  HASH: 3,
  KEYFRAME: 4,
  END: 5,
  /** Ticks the room's loop dropped (it fell behind): the simulation never ran them. */
  SKIPPED: 6,
} as const;

export interface RecordingHeader {
  format: 1;
  mode: string;
  modeVersion: string;
  protocolVersion: number;
  tickRate: number;
  seed: number;
  roomId: string;
  /** Wall-clock time the recording started (ISO 8601), for humans. */
  startedAt: string;
  /** The last tick run before the recording started: 0 when it covers the room from its creation. */
  startTick: number;
  /** Random draws the mode had made by `startTick` (the replay draws as many first). */
  draws: number;
  /** Ticks between two HASH records. */
  hashEvery: number;
  /** The room's lag-compensation bound (ticks a frame's viewTick may lie behind), for the replay's history. */
  maxRewindTicks?: number;
  /** For a recording started on a running room: the full server state at `startTick` (captureState). */
  state?: unknown;
}

export interface RecordedJoin {
  id: number;
  name: string;
}

export interface RecordedInput {
  player: number;
  seq: number;
  /** The tick the player was viewing (lag compensation), as the engine clamped it. */
  viewTick: number;
  /** The frame as the mode's input layout writes it (a view into the file, or the previous frame's). */
  bytes: Uint8Array;
}

export interface TickRecord {
  tick: number;
  leaves: number[];
  joins: RecordedJoin[];
  inputs: RecordedInput[];
  /** Byte offset of the record in the file (for the viewer and error messages). */
  offset: number;
}

export interface Recording {
  header: RecordingHeader;
  /** Ticks that had leaves, joins or inputs, in order. */
  ticks: TickRecord[];
  hashes: Map<number, number>;
  keyframes: Map<number, unknown>;
  /** Ticks the live room never ran (its loop dropped them after a stall). */
  skipped: Set<number>;
  end?: { tick: number; reason: string };
  /** The last tick the recording knows of (end, hash, keyframe or tick record). */
  lastTick: number;
  /** The file stopped mid-record (the writer died): everything before it was read. */
  truncated: boolean;
}

const SEQ_NEXT = 1;
const SAME_FRAME = 2;
/** The frame's viewTick (lag compensation) is not the tick itself: an f64 follows the seq. */
const VIEW_TICK = 4;

/** Each player's previous frame, for the flags of the next. */
type LastFrames = Map<number, { seq: number; bytes: Uint8Array }>;

/** Appends records to a growing buffer; `take()` hands over what was written since the last take. */
export class RecordingWriter {
  private w = new ByteWriter(new Uint8Array(4096));
  private at = 0;
  private readonly last: LastFrames = new Map();

  /** Bytes written and not yet taken. */
  get pending(): number {
    return this.w.offset;
  }

  magic(): void {
    this.w.raw(RECORDING_MAGIC);
  }

  header(h: RecordingHeader): void {
    this.begin(RecordType.HEADER);
    this.w.raw(textEncoder.encode(JSON.stringify(h)));
    this.finishRecord();
  }

  tick(
    tick: number,
    leaves: readonly { id: number }[],
    joins: readonly RecordedJoin[],
    inputs: readonly { player: { id: number }; seq: number; viewTick?: number }[],
    writeInput: (w: ByteWriter, i: number) => void,
  ): void {
    this.begin(RecordType.TICK);
    const w = this.w;
    w.u32(tick).u16(leaves.length);
    for (const p of leaves) w.u16(p.id);
    w.u16(joins.length);
    for (const p of joins) w.u16(p.id).shortString(p.name);
    w.u16(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const { player, seq, viewTick } = inputs[i]!;
      const prev = this.last.get(player.id);
      w.u16(player.id);
      const flagsAt = w.offset;
      let flags = 0;
      w.u8(0);
      if (prev && seq === prev.seq + 1) flags |= SEQ_NEXT;
      else w.u32(seq);
      if (viewTick !== undefined && viewTick !== tick) {
        flags |= VIEW_TICK;
        w.f64(viewTick);
      }
      const frameAt = w.offset;
      writeInput(w, i);
      const frame = w.bytes.subarray(frameAt, w.offset);
      if (prev && sameBytes(prev.bytes, frame)) {
        flags |= SAME_FRAME;
        w.offset = frameAt;
        prev.seq = seq;
      } else {
        this.last.set(player.id, { seq, bytes: frame.slice() });
      }
      w.bytes[flagsAt] = flags;
    }
    this.finishRecord();
  }

  hash(tick: number, hash: number): void {
    this.begin(RecordType.HASH);
    this.w.u32(tick).u32(hash);
    this.finishRecord();
  }

  keyframe(tick: number, state: unknown): void {
    this.begin(RecordType.KEYFRAME);
    this.w.u32(tick).raw(textEncoder.encode(JSON.stringify(state)));
    this.finishRecord();
  }

  skipped(first: number, count: number): void {
    this.begin(RecordType.SKIPPED);
    this.w.u32(first).u32(count);
    this.finishRecord();
  }

  end(tick: number, reason: string): void {
    this.begin(RecordType.END);
    this.w.u32(tick).raw(textEncoder.encode(reason));
    this.finishRecord();
  }

  /** The bytes written since the last call (a copy), and the buffer emptied. */
  take(): Uint8Array {
    const out = this.w.finish();
    this.w.offset = 0;
    return out;
  }

  private begin(type: number): void {
    this.at = this.w.offset;
    this.w.u32(0).u8(type);
  }

  private finishRecord(): void {
    const length = this.w.offset - this.at - 4;
    const b = this.w.bytes;
    b[this.at] = length & 0xff;
    b[this.at + 1] = (length >>> 8) & 0xff;
    b[this.at + 2] = (length >>> 16) & 0xff;
    b[this.at + 3] = (length >>> 24) & 0xff;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class RecordingError extends Error {
  override name = 'RecordingError';
}

/** Reads a whole recording (or the readable prefix of one). Throws RecordingError on a file that is not one. */
export function readRecording(bytes: Uint8Array, inputBytes?: (header: RecordingHeader) => number): Recording {
  for (let i = 0; i < RECORDING_MAGIC.length; i++) {
    if (bytes[i] !== RECORDING_MAGIC[i]) throw new RecordingError('not a Tickforge recording (bad magic or format version)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = RECORDING_MAGIC.length;
  let header: RecordingHeader | undefined;
  let frameBytes = 0;
  const last: LastFrames = new Map();
  const rec: Omit<Recording, 'header'> = { ticks: [], hashes: new Map(), keyframes: new Map(), skipped: new Set(), lastTick: 0, truncated: false };
  while (at < bytes.byteLength) {
    if (at + 5 > bytes.byteLength) {
      rec.truncated = true;
      break;
    }
    const length = view.getUint32(at, true);
    if (length < 1 || at + 4 + length > bytes.byteLength) {
      rec.truncated = true;
      break;
    }
    const type = bytes[at + 4]!;
    const body = bytes.subarray(at + 5, at + 4 + length);
    const r = new ByteReader(body);
    switch (type) {
      case RecordType.HEADER:
        header = JSON.parse(textDecoder.decode(body)) as RecordingHeader;
        frameBytes = inputBytes ? inputBytes(header) : 0;
        rec.lastTick = header.startTick;
        break;
      case RecordType.TICK: {
        if (!header) throw new RecordingError(`a tick record at byte ${at} comes before the header`);
        const t: TickRecord = { tick: r.u32(), leaves: [], joins: [], inputs: [], offset: at };
        for (let n = r.u16(); n > 0; n--) t.leaves.push(r.u16());
        for (let n = r.u16(); n > 0; n--) t.joins.push({ id: r.u16(), name: r.shortString() });
        for (let n = r.u16(); n > 0; n--) {
          const player = r.u16();
          const flags = r.u8();
          const prev = last.get(player);
          if ((flags & (SEQ_NEXT | SAME_FRAME)) !== 0 && !prev)
            throw new RecordingError(`tick record at byte ${at} refers to a previous frame of player ${player} that it never had`);
          const seq = flags & SEQ_NEXT ? prev!.seq + 1 : r.u32();
          const viewTick = flags & VIEW_TICK ? r.f64() : t.tick;
          const bytes = flags & SAME_FRAME ? prev!.bytes : r.bytesOf(frameBytes);
          last.set(player, { seq, bytes });
          t.inputs.push({ player, seq, viewTick, bytes });
        }
        if (r.truncated || r.remaining !== 0) throw new RecordingError(`tick record at byte ${at} does not match the mode's input size (${frameBytes} bytes a frame)`);
        rec.ticks.push(t);
        rec.lastTick = Math.max(rec.lastTick, t.tick);
        break;
      }
      case RecordType.HASH: {
        const tick = r.u32();
        rec.hashes.set(tick, r.u32());
        rec.lastTick = Math.max(rec.lastTick, tick);
        break;
      }
      case RecordType.KEYFRAME: {
        const tick = r.u32();
        rec.keyframes.set(tick, JSON.parse(textDecoder.decode(r.rest())));
        rec.lastTick = Math.max(rec.lastTick, tick);
        break;
      }
      case RecordType.SKIPPED: {
        const first = r.u32();
        const count = r.u32();
        for (let t = first; t < first + count; t++) rec.skipped.add(t);
        rec.lastTick = Math.max(rec.lastTick, first + count - 1);
        break;
      }
      case RecordType.END: {
        const tick = r.u32();
        rec.end = { tick, reason: textDecoder.decode(r.rest()) };
        rec.lastTick = Math.max(rec.lastTick, tick);
        break;
      }
      default:
        throw new RecordingError(`unknown record type ${type} at byte ${at}`);
    }
    at += 4 + length;
  }
  if (!header) throw new RecordingError('the recording has no header');
  return { header, ...rec };
}
