/**
 * One-tick mode events (ctx.emit): they ride in the tick's shared patch and cost nothing on other
 * ticks, live exactly one tick, reach every client decoded in emission order, and a bad one stops
 * only its room. Arena's kill event is specified in shared/src/modes/arena/arena.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { schema, t } from '@colyseus/schema';
import {
  CloseCode,
  EVENTS_FLAG,
  PATCH_HEADER_BYTES,
  ServerMessage,
  decodeServerMessage,
  defineEvents,
  defineInput,
  defineMode,
  field,
  type ModeDefinition,
  type ModeEvent,
} from '@tickforge/shared';
import { ManualClock } from '../../src/clock';
import { createHarness } from '../../src/harness';
import { Room, type ClientSink } from '../../src/room';

const BeatState = schema({ beats: t.uint32().default(0) }, 'BeatState');
const BeatInput = defineInput({ on: field.bool() });
const BeatEvents = defineEvents({
  joined: { player: field.uint16() },
  beat: { n: field.uint8(), gain: field.float32({ min: 0, max: 1 }) },
});

/** Counts ticks; emits `joined` on join and a `beat` on the ticks `emitOn` says, or `bad` instead. */
function beats(emitOn: (tick: number) => boolean, bad?: ModeEvent) {
  return defineMode({
    name: 'beats',
    title: 'Beats',
    tickRate: 10,
    maxPlayers: 8,
    State: BeatState,
    input: BeatInput,
    events: BeatEvents,
    join(_state, player, ctx) {
      ctx.emit({ type: 'joined', player: player.id });
    },
    leave() {},
    tick(state, _inputs, ctx) {
      state.beats += 1;
      if (!emitOn(ctx.tick)) return;
      ctx.emit((bad ?? { type: 'beat', n: ctx.tick % 256, gain: 0.5 }) as never);
      if (!bad) ctx.emit({ type: 'beat', n: 0, gain: 1 });
    },
  });
}

describe('mode events', () => {
  it("ride in their tick's patch, in emission order, once, and every client decodes them", () => {
    const h = createHarness(beats((tick) => tick === 3));
    const a = h.join('a');
    const b = h.join('b');
    h.step();
    expect(h.events).toEqual([
      { tick: 1, event: { type: 'joined', player: a.id } },
      { tick: 1, event: { type: 'joined', player: b.id } },
    ]);
    h.step(3); // ticks 2, 3, 4: only tick 3 emits
    const beat3 = [
      { tick: 3, event: { type: 'beat', n: 3, gain: 0.5 } },
      { tick: 3, event: { type: 'beat', n: 0, gain: 1 } },
    ];
    expect(h.events).toEqual(beat3);
    expect(h.room.tickEvents).toEqual([]); // tick 4's: an event lives one tick
    // The joiners' welcomes (tick 1) carry no events; their patches from tick 2 on do.
    expect(a.events).toEqual(beat3);
    expect(b.events).toEqual(beat3);
  });

  it('cost nothing on ticks without events: the same bytes as a run that never emits, plus 2 + events on the tick that does', () => {
    const quiet = createHarness(beats(() => false));
    const loud = createHarness(beats((tick) => tick === 5));
    const q = quiet.join('a');
    const l = loud.join('a');
    quiet.step(10);
    loud.step(10);
    const raw = (p: typeof q) => p.received.flatMap((m) => (m.type === ServerMessage.PATCH ? [m] : []));
    expect(raw(l).map((m) => m.tick)).toEqual(raw(q).map((m) => m.tick));
    const extra = 2 + BeatEvents.bytes.beat! * 2; // section length, two beats of 1 + 1 + 4
    expect(BeatEvents.bytes.beat).toBe(6);
    expect(l.patchSizes).toEqual(q.patchSizes.map((n, i) => (raw(q)[i]!.tick === 5 ? n + extra : n)));
  });

  it('a RESYNC to a slow reader that drained carries the events of its tick', () => {
    const clock = new ManualClock();
    const room = new Room({ id: 'r', mode: beats(() => true) as unknown as ModeDefinition, clock, seed: 1, seatTtlMs: 60_000 });
    const got: Array<{ type: number; events: boolean }> = [];
    const sink: ClientSink & { bufferedAmount: number } = {
      bufferedAmount: 0,
      send() {},
      sendPatch(type, _tick, _ack, body) {
        got.push({ type, events: (type & EVENTS_FLAG) !== 0 });
        // What a client decodes: the events come back out of the same shared body.
        const bytes = new Uint8Array(PATCH_HEADER_BYTES + body.byteLength);
        bytes[0] = type;
        bytes.set(body, PATCH_HEADER_BYTES);
        const msg = decodeServerMessage(bytes);
        if (msg.type !== ServerMessage.PATCH && msg.type !== ServerMessage.RESYNC) throw new Error('not a patch');
        expect(msg.events?.byteLength).toBe(2 * BeatEvents.bytes.beat!);
      },
      close() {},
    };
    const attached = room.attach(room.reserveSeat('slow').id, sink);
    if (!attached.ok) throw new Error(attached.reason);
    room.start();
    const tickMs = 1000 / room.tickRate;
    clock.advance(tickMs * 2); // welcome, then a patch
    sink.bufferedAmount = 100 * 1024; // over the slow-reader limit: patches are skipped
    clock.advance(tickMs * 2);
    sink.bufferedAmount = 0; // drained: full state again
    clock.advance(tickMs);
    expect(got.map((g) => g.type)).toEqual([ServerMessage.PATCH | EVENTS_FLAG, ServerMessage.RESYNC | EVENTS_FLAG]);
    room.dispose();
  });

  it('a bad event stops its room (4010) with a reason naming it, like any error in a hook', () => {
    for (const [bad, message] of [
      [{ type: 'nonsense' }, 'emitted an undeclared event type "nonsense" (declared: joined, beat)'],
      [{ type: 'beat', n: 300, gain: 0 }, 'event "beat" field "n": 300 does not fit a uint8'],
      [{ type: 'beat', n: 1, gain: 2 }, 'event "beat" field "gain": 2 is outside 0..1'],
    ] as const) {
      const h = createHarness(beats((tick) => tick === 2, bad as ModeEvent));
      const a = h.join('a');
      h.step(3);
      expect((h.error as Error).message).toBe(message);
      expect(a.closed).toEqual({ code: CloseCode.ROOM_CRASHED, reason: 'game mode "beats" failed at tick 2' });
      expect(a.events.map((e) => e.tick)).toEqual([]); // the bad tick was never sent
    }
  });

  it('a mode that declares no events cannot emit, and a field may not be named "type"', () => {
    const mute = defineMode({ ...beats(() => false), events: undefined });
    const h = createHarness(mute);
    h.join('a');
    h.step();
    expect((h.error as Error).message).toBe('emitted an event ("joined") but the mode declares no events');
    expect(() => defineEvents({ hit: { type: field.uint8() } })).toThrow('event "hit": a field may not be named "type" (it names the event)');
    expect(() => defineMode({ ...beats(() => false), events: {} as never })).toThrow('mode "beats": events must be made with defineEvents()');
  });
});
