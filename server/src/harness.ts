/**
 * The headless harness for game-mode developers: a real Room on a steppable clock, with fake
 * players instead of sockets. Feed inputs, step ticks, read the authoritative state, and decode the
 * exact bytes a client would receive into a client-side mirror. Deterministic: a seed fixes every
 * random draw, and nothing waits on real time.
 *
 *   const h = createHarness(arena, { seed: 1 });
 *   const alice = h.join('alice');
 *   h.step();                      // alice is seated and welcomed
 *   alice.input({ dx: 1, dy: 0, aim: 0, fire: false });
 *   h.step();
 *   h.state.players.get(String(alice.id)).x   // server truth
 *   alice.mirror.players...                    // what alice's client decoded
 *   h.events                                   // the mode events of that step: [{ tick, event }]
 *
 * docs/game-modes.md documents every member.
 */
import type { Schema } from '@colyseus/schema';
import {
  CloseReasons,
  ServerMessage,
  GameClient,
  PatchClock,
  decodeServerMessage,
  encodePatch,
  type SocketLike,
  type ModeDefinition,
  type ModeEvent,
  type ServerMessageDecoded,
} from '@tickforge/shared';
import { ManualClock } from './clock';
import { Room, type ClientSink, type RoomClient, type RoomLimits } from './room';

export interface HarnessOptions {
  seed?: number;
  /** Override the mode's tick rate. */
  tickRate?: number;
  limits?: Partial<RoomLimits>;
  /** Called with the error when the mode throws (the room is then closed; `error` holds it too). */
  onError?(err: unknown): void;
}

/** A mode event with the tick that emitted it. */
export interface TickEvent<E extends ModeEvent = ModeEvent> {
  readonly tick: number;
  readonly event: E;
}

export interface FakePlayer<S extends Schema, I, E extends ModeEvent = ModeEvent> {
  /** Player id, known once the player is seated (after the first step). */
  readonly id: number;
  readonly name: string;
  /** Every message the server sent this player, decoded (PATCH and RESYNC with their full tick and ack). */
  readonly received: ServerMessageDecoded[];
  /** The player's client-side copy of the state, built only from the bytes it received. */
  readonly mirror: S;
  /** Every mode event this player's client decoded from its patches, in order. */
  readonly events: readonly TickEvent<E>[];
  /** Sizes in bytes of the PATCH messages received, in order. */
  readonly patchSizes: number[];
  /** The last acknowledged input sequence number. */
  readonly ack: number;
  /** STATE_HASHes the player's client checked against its mirror, and those that did not match (docs/protocol.md, "State integrity"). */
  readonly hashesChecked: number;
  readonly desyncs: number;
  readonly closed: { code: number; reason: string } | undefined;
  /**
   * Queues one input frame (sequence numbers are assigned in order from 1). `viewTick` is the tick
   * this player claims to be looking at, for lag compensation (default: the newest it received).
   */
  input(input: I, viewTick?: number): number;
  chat(text: string): void;
  /** Sends raw bytes, as a hostile client could. */
  sendRaw(bytes: Uint8Array): void;
  /** Leaves cleanly (a LEAVE message); the mode's leave hook runs at the next step. */
  leave(): void;
  /** The connection drops; the mode's leave hook runs at the next step. */
  disconnect(): void;
}

export interface Harness<S extends Schema, I, E extends ModeEvent = ModeEvent> {
  readonly room: Room;
  readonly clock: ManualClock;
  /** The authoritative state. */
  readonly state: S;
  readonly tick: number;
  /** The room's tick rate (the mode's, or the `tickRate` option). */
  readonly tickRate: number;
  /** Every fake player joined so far, in join order. */
  readonly players: readonly FakePlayer<S, I, E>[];
  /**
   * The mode events emitted during the last `step`, `stepSeconds` or `stepUntil` call, tick by
   * tick in emission order (the server's side; each player's `events` is what its client decoded).
   */
  readonly events: readonly TickEvent<E>[];
  /** What the mode threw, if it did; the room is then closed and steps do nothing. */
  readonly error: unknown;
  /** Takes a seat for a fake player; the mode's join hook runs at the next step. */
  join(name?: string): FakePlayer<S, I, E>;
  /** Advances the clock by `n` tick intervals, running exactly `n` ticks. */
  step(n?: number): void;
  /** Steps `seconds` of simulated time (rounded to whole ticks). */
  stepSeconds(seconds: number): void;
  /**
   * Steps one tick at a time until `done(state)` is true; returns the ticks stepped. Throws after
   * `maxTicks` (default: ten simulated minutes) so a rule that never fires fails its test.
   */
  stepUntil(done: (state: S) => boolean, maxTicks?: number): number;
  dispose(): void;
}

export function createHarness<S extends Schema, I, E extends ModeEvent = ModeEvent>(mode: ModeDefinition<S, I, E>, options: HarnessOptions = {}): Harness<S, I, E> {
  const clock = new ManualClock();
  let crashed: { err: unknown } | undefined;
  const events: TickEvent<E>[] = [];
  const room = new Room({
    id: 'harness',
    mode: mode as unknown as ModeDefinition<Schema, unknown>,
    clock,
    seed: options.seed ?? 1,
    tickRate: options.tickRate,
    seatTtlMs: 60_000,
    limits: options.limits,
    onTickMeasured(_ms, r) {
      for (const event of r.tickEvents) events.push({ tick: r.tick, event: event as E });
    },
    log: {
      info() {},
      warn() {},
      error(obj) {
        const err = (obj as { err?: unknown }).err;
        if (!crashed) crashed = { err };
        options.onError?.(err);
      },
    },
  });
  room.start();
  // Time moves to the exact due time of the target tick (n * 1000 / rate from the start, the tick
  // loop's own formula), so float sums of 33.33 ms never leave a tick due a hair later.
  let target = 0;
  const advanceTicks = (n: number) => {
    target += n;
    clock.advance((target * 1000) / room.tickRate - clock.now());
  };
  const stepTicks = (n: number) => {
    events.length = 0;
    advanceTicks(n);
  };
  const players: FakePlayer<S, I, E>[] = [];

  const harness: Harness<S, I, E> = {
    room,
    clock,
    state: room.state as S,
    get tick() {
      return room.tick;
    },
    tickRate: room.tickRate,
    players,
    events,
    get error() {
      return crashed?.err;
    },
    join(name = `player${players.length + 1}`) {
      const p = joinFake<S, I, E>(room, mode, name);
      players.push(p);
      return p;
    },
    step(n = 1) {
      stepTicks(n);
    },
    stepSeconds(seconds) {
      stepTicks(Math.round(seconds * room.tickRate));
    },
    stepUntil(done, maxTicks = 600 * room.tickRate) {
      events.length = 0;
      for (let n = 1; n <= maxTicks; n++) {
        advanceTicks(1);
        if (done(room.state as S)) return n;
        if (room.isDisposed) throw new Error(`room closed after ${n} ticks before the condition held`, { cause: crashed?.err });
      }
      throw new Error(`condition still false after ${maxTicks} ticks`);
    },
    dispose() {
      room.dispose(...CloseReasons.harnessDisposed);
    },
  };
  return harness;
}

function joinFake<S extends Schema, I, E extends ModeEvent>(room: Room, mode: ModeDefinition<S, I, E>, name: string): FakePlayer<S, I, E> {
  const received: ServerMessageDecoded[] = [];
  const events: TickEvent<E>[] = [];
  const patchSizes: number[] = [];
  let closed: { code: number; reason: string } | undefined;
  let client: RoomClient | undefined;

  // The player's side is the real GameClient, on a socket whose wire is a function call.
  const socket: SocketLike = {
    binaryType: 'arraybuffer',
    readyState: 1,
    send: (bytes) => client && room.receive(client, bytes),
    close() {},
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  const game = new GameClient(mode, socket, {
    onEvents(list, tick) {
      for (const event of list) events.push({ tick, event });
    },
  });
  // `received` holds full ticks and acks, unwrapped as the GameClient unwraps them.
  const clock = new PatchClock();
  const deliver = (bytes: Uint8Array) => {
    clock.sent = game.seq;
    const msg = decodeServerMessage(bytes, clock);
    received.push(msg);
    if (msg.type === ServerMessage.PATCH) patchSizes.push(bytes.byteLength);
    socket.onmessage?.({ data: bytes });
  };
  const sink: ClientSink = {
    send: (m) => deliver(m.slice()),
    sendPatch: (type, tick, ack, body, bufferOffsetMs, then, before) => {
      if (before) deliver(before.slice());
      deliver(encodePatch(tick, ack, body, type, bufferOffsetMs));
      if (then) deliver(then.slice());
    },
    close(code, reason) {
      closed ??= { code, reason };
    },
    bufferedAmount: 0,
  };
  const reserved = room.reserveSeat(name);
  const attached = room.attach(reserved.id, sink);
  if (!attached.ok) throw new Error(`harness could not seat ${name}: ${attached.reason}`);
  client = attached.client;
  const seated = client;

  return {
    get id() {
      return seated.player.id;
    },
    name,
    received,
    get mirror() {
      return game.state;
    },
    events,
    patchSizes,
    get ack() {
      return game.ack;
    },
    get hashesChecked() {
      return game.hashesChecked;
    },
    get desyncs() {
      return game.desyncs;
    },
    get closed() {
      return closed;
    },
    input: (input, viewTick) => game.sendInput(input, viewTick),
    chat: (text) => game.chat(text),
    sendRaw: (bytes) => room.receive(seated, bytes),
    leave: () => game.leave(),
    disconnect: () => room.detach(seated),
  };
}
