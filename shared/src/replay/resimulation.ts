/**
 * Re-simulating a recorded room: the mode's hooks run in the room's order of a tick (leaves, joins,
 * the tick with its input frames; server/src/room/room.ts), on the same context and seeded random
 * source, fed with the frames the recording says the simulation applied. It bypasses the input
 * queue on purpose: the queue decides WHICH frames a tick applies, and the recording already holds
 * that answer, so a change in the queue's pacing can never make an old recording diverge.
 *
 * Runs in Node (`npm run replay`, tests) and in the browser (the time-travel viewer); with
 * `patches: true` it also encodes every tick's patch, the bytes the room sent its clients.
 */
import { Encoder, type Schema } from '@colyseus/schema';
import { ByteReader, ByteWriter } from '../protocol/bytes';
import type { ModeEvent } from '../protocol/event-layout';
import { stateHash } from '../protocol/state-hash';
import { createModeContext, type ModeDefinition, type ModePlayer, type PlayerInput, type PositionHistory } from '../mode-api/define-mode';
import { countingRandom } from '../mode-api/random';
import type { Recording, TickRecord } from './recording-format';
import { restoreState } from './state-capture';

export interface AppliedTick {
  tick: number;
  leaves: ModePlayer[];
  joins: ModePlayer[];
  inputs: PlayerInput<unknown>[];
  events: ModeEvent[];
  /** The tick's schema patch (with `patches: true`), as the room's encoder produced it. */
  patch?: Uint8Array;
}

/** The room's position history (server/src/room/history.ts), injected: it lives with the engine. */
export interface ReplayHistory extends PositionHistory {
  record<S>(tick: number, source: { positions(state: S, record: (id: number, x: number, y: number) => void): void }, state: S): void;
}

export class Resimulation<S extends Schema = Schema> {
  state: S;
  /** The last tick run. */
  tick: number;
  private readonly ctx: ReturnType<typeof createModeContext>;
  private readonly players = new Map<number, ModePlayer>();
  private readonly byTick = new Map<number, TickRecord>();
  private readonly encoder: Encoder | undefined;
  private emitted: ModeEvent[] = [];
  private readonly eventWriter = new ByteWriter();
  private readonly history: ReplayHistory | undefined;

  constructor(
    readonly mode: ModeDefinition<S, unknown>,
    readonly recording: Recording,
    options: { patches?: boolean; history?: ReplayHistory } = {},
  ) {
    const h = recording.header;
    if (h.mode !== mode.name) throw new Error(`the recording is of mode "${h.mode}", not "${mode.name}"`);
    for (const t of recording.ticks) this.byTick.set(t.tick, t);
    const emit = (event: ModeEvent) => {
      if (!mode.events) throw new Error(`emitted an event ("${String(event?.type)}") but the mode declares no events`);
      this.eventWriter.offset = 0;
      mode.events.write(this.eventWriter, event); // the same check the room makes
      this.emitted.push({ ...event });
    };
    this.history = options.history;
    this.ctx = createModeContext(h.tickRate, countingRandom(h.seed, h.draws), emit, options.history);
    this.tick = h.startTick;
    this.ctx.tick = h.startTick;
    this.ctx.timeMs = (h.startTick * 1000) / h.tickRate;
    if (h.state !== undefined) {
      this.state = restoreState(mode.State, h.state as Record<string, unknown>);
      for (const p of (h as { players?: ModePlayer[] }).players ?? []) this.players.set(p.id, { id: p.id, name: p.name });
    } else {
      this.state = new mode.State();
      mode.create?.(this.state, this.ctx as never);
    }
    if (options.patches) {
      this.encoder = new Encoder(this.state);
      this.encoder.discardChanges();
    }
  }

  /** Encoded full state now (what a WELCOME would carry), with `patches: true`. */
  fullState(): Uint8Array | undefined {
    return this.encoder?.encodeAll().slice();
  }

  /** Runs the next tick exactly as the room ran it. */
  step(): AppliedTick {
    const tick = ++this.tick;
    const ctx = this.ctx;
    ctx.tick = tick;
    ctx.timeMs = (tick * 1000) / this.recording.header.tickRate;
    this.emitted = [];
    const rec = this.byTick.get(tick);
    const applied: AppliedTick = { tick, leaves: [], joins: [], inputs: [], events: this.emitted };
    // A tick the live room's loop dropped: nothing ran, so nothing runs here either.
    if (this.recording.skipped.has(tick)) {
      if (this.encoder) applied.patch = new Uint8Array(0);
      return applied;
    }
    const mode = this.mode;
    if (rec) {
      for (const id of rec.leaves) {
        const p = this.players.get(id) ?? { id, name: '' };
        this.players.delete(id);
        applied.leaves.push(p);
        mode.leave(this.state, p, ctx as never);
      }
      for (const j of rec.joins) {
        const p: ModePlayer = { id: j.id, name: j.name };
        this.players.set(p.id, p);
        applied.joins.push(p);
        mode.join(this.state, p, ctx as never);
      }
      for (const f of rec.inputs) {
        const read = mode.input.read(new ByteReader(f.bytes));
        if (!read.ok) throw new Error(`tick ${tick}: player ${f.player}'s input frame ${f.seq} is invalid: ${read.error}`);
        applied.inputs.push({ player: this.players.get(f.player) ?? { id: f.player, name: '' }, seq: f.seq, input: read.value, viewTick: f.viewTick });
      }
    }
    mode.tick(this.state, applied.inputs, ctx as never);
    // As the room does after the tick: the positions a later shot may rewind to.
    if (mode.lagCompensation && this.history) this.history.record(tick, mode.lagCompensation, this.state);
    if (this.encoder) {
      applied.patch = this.encoder.encode().slice();
      this.encoder.discardChanges();
    }
    return applied;
  }

  /** The state hash now (stateHash). */
  hash(): number {
    return stateHash(this.state);
  }
}
