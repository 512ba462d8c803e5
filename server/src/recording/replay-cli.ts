/**
 * `npm run replay -- FILE [--to TICK]`: re-simulates a recorded room headless and checks every
 * recorded state hash (docs/replay.md). Exit status: 0 verified, 1 the state differs (the first
 * tick and field are named), 2 the file or the arguments are unusable.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { RecordingError, Resimulation, findMode, readRecording, verifyRecording, type Recording, type RecordingHeader } from '@tickforge/shared';
import { History } from '../room/history';

/** The room's position history for lag compensation, sized as the recorded room's. */
export const historyFor = (h: RecordingHeader) => new History(h.maxRewindTicks ?? 0, h.tickRate);

export const EXIT = { VERIFIED: 0, DIFFERS: 1, UNUSABLE: 2 } as const;

const HELP = `usage: npm run replay -- FILE [--to TICK]

Re-simulates the recorded room in FILE (a .tfrec written with RECORD_DIR or the admin API) with
the mode's own rules and checks every state hash it recorded.

  (no option)   verify: exit 0 "verified N ticks", or 1 naming the first tick whose state
                differs and the first differing field (recorded ≠ replayed)
  --to TICK     print the state after TICK as JSON (stdout) instead
  -h, --help    this text

Exit status: 0 verified (or --to printed), 1 the state differs, 2 unusable file or arguments.`;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export function main(argv: readonly string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): number {
  let file: string | undefined;
  let to: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      io.out(HELP);
      return EXIT.VERIFIED;
    } else if (a === '--to') {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) return usage(io, `--to needs a tick number, got ${JSON.stringify(v)}`);
      to = Number(v);
    } else if (a.startsWith('-')) {
      return usage(io, `unknown option ${a}`);
    } else if (file === undefined) {
      file = a;
    } else {
      return usage(io, `one recording at a time (got ${file} and ${a})`);
    }
  }
  if (file === undefined) return usage(io, 'which recording? (FILE is missing)');

  let recording: Recording;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    io.err(`replay: cannot read ${file}: ${(err as Error).message}`);
    return EXIT.UNUSABLE;
  }
  let mode;
  try {
    recording = readRecording(bytes, (h) => {
      mode = findMode(h.mode);
      if (!mode) throw new RecordingError(`the recording is of mode "${h.mode}", which this build does not have`);
      return mode.input.bytes;
    });
  } catch (err) {
    io.err(`replay: ${file}: ${(err as Error).message}`);
    return EXIT.UNUSABLE;
  }
  const h = recording.header;
  const m = mode!;
  if (String(m.version ?? '1') !== h.modeVersion) {
    io.err(`replay: note: recorded with ${h.mode} version ${h.modeVersion}, replaying with version ${String(m.version ?? '1')}`);
  }
  if (recording.truncated) io.err(`replay: note: ${file} ends mid-record (its writer stopped); replaying the readable prefix up to tick ${recording.lastTick}`);

  if (to !== undefined) {
    if (to < h.startTick || to > recording.lastTick) {
      io.err(`replay: --to ${to} is outside the recording (ticks ${h.startTick}..${recording.lastTick})`);
      return EXIT.UNUSABLE;
    }
    const sim = new Resimulation(m, recording, { history: historyFor(h) });
    while (sim.tick < to) sim.step();
    io.out(JSON.stringify({ tick: sim.tick, hash: sim.hash(), state: sim.state.toJSON() }, null, 2));
    return EXIT.VERIFIED;
  }

  const result = verifyRecording(m, recording, historyFor(h));
  if (result.ok) {
    io.out(`verified ${result.ticks} ticks (${result.hashes} state hashes) of ${h.mode} room ${h.roomId}, ticks ${h.startTick + 1}..${result.lastTick}`);
    return EXIT.VERIFIED;
  }
  if ('error' in result) {
    io.out(`state differs at tick ${result.tick} (last matching hash at tick ${result.lastGoodTick}): ${result.error}`);
    return EXIT.DIFFERS;
  }
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  io.out(`state differs at tick ${result.tick}: recorded hash ${hex(result.expected)}, replayed ${hex(result.actual)} (last matching hash at tick ${result.lastGoodTick})`);
  io.out(result.field ? `first differing field (state at tick ${result.fieldTick}, recorded ≠ replayed): ${result.field}` : 'no keyframe after that tick to name the field');
  return EXIT.DIFFERS;
}

function usage(io: Output, why: string): number {
  io.err(`replay: ${why}\n\n${HELP}`);
  return EXIT.UNUSABLE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
