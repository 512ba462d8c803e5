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
 */
import type { Schema } from '@colyseus/schema';
import {
  CloseCode,
  ServerMessage,
  GameClient,
  decodeServerMessage,
  encodePatch,
  type SocketLike,
  type ModeDefinition,
  type ServerMessageDecoded,
} from '@tickforge/shared';
import { ManualClock } from './clock';
import { Room, type ClientSink, type RoomClient, type RoomLimits } from './room';

export interface HarnessOptions {
  seed?: number;
  /** Override the mode's tick rate. */
  tickRate?: number;
  limits?: Partial<RoomLimits>;
  /** Called with the error when the mode throws (the room is then closed). */
  onError?(err: unknown): void;
}

export interface FakePlayer<S extends Schema, I> {
  /** Player id, known once the player is seated (after the first step). */
  readonly id: number;
  readonly name: string;
  /** Every message the server sent this player, decoded. */
  readonly received: ServerMessageDecoded[];
  /** The player's client-side copy of the state, built only from the bytes it received. */
  readonly mirror: S;
  /** Sizes in bytes of the PATCH messages received, in order. */
  readonly patchSizes: number[];
  /** The last acknowledged input sequence number. */
  readonly ack: number;
  readonly closed: { code: number; reason: string } | undefined;
  /** Queues one input frame (sequence numbers are assigned in order from 1). */
  input(input: I): number;
  chat(text: string): void;
  /** Sends raw bytes, as a hostile client could. */
  sendRaw(bytes: Uint8Array): void;
  /** The connection drops. */
  disconnect(): void;
}

export interface Harness<S extends Schema, I> {
  readonly room: Room;
  readonly clock: ManualClock;
  /** The authoritative state. */
  readonly state: S;
  readonly tick: number;
  join(name?: string): FakePlayer<S, I>;
  /** Advances the clock by `n` tick intervals, running exactly `n` ticks. */
  step(n?: number): void;
  dispose(): void;
}

export function createHarness<S extends Schema, I>(mode: ModeDefinition<S, I>, options: HarnessOptions = {}): Harness<S, I> {
  const clock = new ManualClock();
  const room = new Room({
    id: 'harness',
    mode: mode as unknown as ModeDefinition<Schema, unknown>,
    clock,
    seed: options.seed ?? 1,
    tickRate: options.tickRate,
    seatTtlMs: 60_000,
    limits: options.limits,
    log: {
      info() {},
      warn() {},
      error(obj) {
        options.onError?.((obj as { err?: unknown }).err);
      },
    },
  });
  room.start();
  const interval = 1000 / room.tickRate;
  let players = 0;

  return {
    room,
    clock,
    state: room.state as S,
    get tick() {
      return room.tick;
    },
    join(name = `player${++players}`) {
      return joinFake<S, I>(room, mode, name);
    },
    step(n = 1) {
      clock.advance(n * interval);
    },
    dispose() {
      room.dispose(CloseCode.NORMAL, 'harness disposed');
    },
  };
}

function joinFake<S extends Schema, I>(room: Room, mode: ModeDefinition<S, I>, name: string): FakePlayer<S, I> {
  const received: ServerMessageDecoded[] = [];
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
  const game = new GameClient(mode, socket);
  const deliver = (bytes: Uint8Array) => {
    const msg = decodeServerMessage(bytes);
    received.push(msg);
    if (msg.type === ServerMessage.PATCH) patchSizes.push(bytes.byteLength);
    socket.onmessage?.({ data: bytes });
  };
  const sink: ClientSink = {
    send: (m) => deliver(m.slice()),
    sendPatch: (type, tick, ack, body) => deliver(encodePatch(tick, ack, body, type)),
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
    patchSizes,
    get ack() {
      return game.ack;
    },
    get closed() {
      return closed;
    },
    input: (input) => game.sendInput(input),
    chat: (text) => game.chat(text),
    sendRaw: (bytes) => room.receive(seated, bytes),
    disconnect: () => room.detach(seated),
  };
}
