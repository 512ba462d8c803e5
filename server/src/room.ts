/**
 * A room: one running instance of a game mode. It owns the authoritative state, the tick loop,
 * the seats and the players' input queues. It talks to clients only through `ClientSink`, so the
 * same room runs behind WebSockets (game-socket.ts) or in the headless harness.
 *
 * One tick, in order: seat the players who arrived, remove those who left, hand each player's due
 * input frames to the mode, let the mode step, encode the patch ONCE and send the same bytes to
 * every client behind a 9-byte header (tick, that client's acknowledged input), discard changes,
 * then send full state to newcomers, reconnected players and slow readers that drained.
 *
 * How a connection ends decides what happens to its player (`Departure`): a player who left (LEAVE,
 * or a close handshake) or was closed for breaking the protocol leaves at the next tick; a player
 * whose connection dropped is held for the reconnection grace (held-players.ts) and can come back
 * with the reconnect token of their last WELCOME.
 */
import { Encoder, type Schema } from '@colyseus/schema';
import {
  ClientMessage,
  CloseCode,
  ServerMessage,
  createModeContext,
  decodeClientMessage,
  encodeChatBroadcast,
  encodePong,
  encodeWelcome,
  seededRandom,
  type ModeDefinition,
  type ModePlayer,
  type PlayerInput,
} from '@tickforge/shared';
import type { Clock } from './clock';
import { HeldPlayers } from './held-players';
import { RateLimiter } from './rate-limiter';
import { TickLoop } from './tick-loop';

/** Where a room's messages to one client go. The transport decides how bytes reach the wire. */
export interface ClientSink {
  /** Sends one complete protocol message. */
  send(message: Uint8Array): void;
  /** Sends a PATCH or RESYNC: the 10-byte header from these fields, then `body` (shared, never mutated). */
  sendPatch(type: number, tick: number, ack: number, body: Uint8Array, bufferOffsetMs?: number): void;
  /** Closes the connection with a close code and a reason (≤ 123 bytes). */
  close(code: number, reason: string): void;
  /** Bytes queued for this client and not yet written to the network. */
  readonly bufferedAmount: number;
}

export interface RoomLimits {
  /** Input frames queued per player beyond which the oldest are dropped (≈ half a second at 30 Hz). */
  inputQueue: number;
  /** Input frames a player may have applied in one tick after a gap (jitter absorption). */
  inputBurst: number;
  /** Send buffer above which a client skips patches and is resynchronised later. */
  slowReaderBytes: number;
  /** Send buffer above which a client is closed. */
  closeReaderBytes: number;
  /** A client whose patches stay suspended (it does not drain) this long is closed. */
  slowReaderTimeoutMs: number;
}

export const DEFAULT_LIMITS: RoomLimits = {
  inputQueue: 16,
  inputBurst: 4,
  slowReaderBytes: 64 * 1024,
  closeReaderBytes: 1024 * 1024,
  slowReaderTimeoutMs: 10_000,
};

export interface RoomOptions {
  id: string;
  mode: ModeDefinition<Schema, unknown>;
  clock: Clock;
  seed: number;
  tickRate?: number;
  maxCatchUp?: number;
  seatTtlMs: number;
  /** How long a player whose connection dropped keeps their seat. Default 0: no reconnection. */
  reconnectGraceMs?: number;
  /** Signs the reconnect token sent in WELCOME; without it, WELCOME carries an empty token. */
  reconnectToken?(playerId: number, generation: number): string;
  limits?: Partial<RoomLimits>;
  log?: RoomLog;
  onTickMeasured?(durationMs: number, room: Room): void;
  onDispose?(room: Room): void;
}

export interface RoomLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silentLog: RoomLog = { info() {}, warn() {}, error() {} };

interface SeatReservation {
  id: string;
  name: string;
  expiresAt: number;
}

export interface RoomClient {
  readonly player: ModePlayer;
  readonly sink: ClientSink;
  /** Last input sequence number received (validated to increase). */
  lastSeq: number;
  /** Last input sequence number applied by the simulation; goes back with every patch. */
  ackSeq: number;
  /** Ticks' worth of input the player may still apply this tick. */
  credits: number;
  readonly inputs: PlayerInput<unknown>[];
  /** Dropped from a full input queue. */
  inputsDropped: number;
  phase: 'joining' | 'welcoming' | 'playing' | 'resync' | 'gone';
  /** Clock time at which patches to this client were suspended (state 'resync'). */
  resyncSince: number;
  /** Reconnect-token generation of this connection; each reconnection bumps it. */
  readonly generation: number;
  readonly chatLimiter: RateLimiter;
  readonly inputLimiter: RateLimiter;
  readonly pingLimiter: RateLimiter;
}

export type AttachResult = { ok: true; client: RoomClient } | { ok: false; code: number; reason: string };

/**
 * Why a connection ended: 'left' on purpose (LEAVE or a close handshake), 'dropped' by the network
 * without a close handshake (or by us for reading too slowly), 'kicked' for breaking the protocol. Only 'dropped' keeps the seat.
 */
export type Departure = 'left' | 'dropped' | 'kicked';

const SEQ_MAX_JUMP = 1024;

export class Room {
  readonly id: string;
  readonly mode: ModeDefinition<Schema, unknown>;
  readonly state: Schema;
  readonly tickRate: number;
  readonly loop: TickLoop;
  readonly createdAt: number;
  private readonly encoder: Encoder;
  private readonly clock: Clock;
  private readonly ctx: ReturnType<typeof createModeContext>;
  private readonly limits: RoomLimits;
  private readonly log: RoomLog;
  private readonly seats = new Map<string, SeatReservation>();
  private readonly clients = new Map<number, RoomClient>();
  private readonly held: HeldPlayers;
  private readonly leaving: ModePlayer[] = [];
  private readonly batch: PlayerInput<unknown>[] = [];
  private nextPlayerId = 1;
  private nextSeatId = 1;
  private disposed = false;

  constructor(private readonly options: RoomOptions) {
    this.id = options.id;
    this.mode = options.mode;
    this.clock = options.clock;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log ?? silentLog;
    this.held = new HeldPlayers(options.reconnectGraceMs ?? 0);
    this.tickRate = options.tickRate ?? options.mode.tickRate;
    this.createdAt = options.clock.now();
    this.ctx = createModeContext(this.tickRate, seededRandom(options.seed));
    this.state = new options.mode.State();
    this.encoder = new Encoder(this.state);
    this.loop = new TickLoop({
      rate: this.tickRate,
      clock: options.clock,
      maxCatchUp: options.maxCatchUp ?? 5,
      onTick: (tick) => this.step(tick),
      onTickMeasured: (ms) => options.onTickMeasured?.(ms, this),
    });
    this.guard(0, () => this.mode.create?.(this.state, this.ctx));
  }

  /** Seated players, players held for reconnection, and unexpired reservations. */
  get occupancy(): number {
    return this.clients.size + this.held.size + this.seats.size;
  }
  /** Players connected now. */
  get playerCount(): number {
    return this.clients.size;
  }
  /** Players whose connection dropped and who are held for reconnection. */
  get heldCount(): number {
    return this.held.size;
  }
  get isFull(): boolean {
    return this.occupancy >= this.mode.maxPlayers;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  get tick(): number {
    return this.loop.tick;
  }

  start(): void {
    if (!this.disposed) this.loop.start();
  }

  /** Reserves a seat for `name` until the token expires. The caller checks `isFull` first. */
  reserveSeat(name: string): SeatReservation {
    const seat: SeatReservation = { id: (this.nextSeatId++).toString(36), name, expiresAt: this.clock.now() + this.options.seatTtlMs };
    this.seats.set(seat.id, seat);
    return seat;
  }

  /** Takes the reserved seat for a connection that presented its token. Single use. */
  attach(seatId: string, sink: ClientSink): AttachResult {
    if (this.disposed) return { ok: false, code: CloseCode.ROOM_GONE, reason: 'room closed' };
    const seat = this.seats.get(seatId);
    if (!seat) return { ok: false, code: CloseCode.SEAT_USED, reason: 'seat token already used' };
    this.seats.delete(seatId);
    const client = this.connect({ id: this.nextPlayerId++, name: seat.name }, sink, 0, 'joining');
    return { ok: true, client };
  }

  /**
   * Takes back the player of a reconnect token: one held after a dropped connection, or one still
   * connected whose old connection the server has not yet seen die (that one is closed 4012). The
   * player, with everything the mode keeps for it, is untouched; the new connection gets a WELCOME
   * with the full state and a new token, which makes this token used.
   */
  reattach(playerId: number, generation: number, sink: ClientSink): AttachResult {
    if (this.disposed) return { ok: false, code: CloseCode.ROOM_GONE, reason: 'room closed' };
    const current = this.clients.get(playerId);
    const held = this.held.get(playerId);
    const expected = current?.generation ?? held?.generation;
    if (expected === undefined) {
      return { ok: false, code: CloseCode.SEAT_EXPIRED, reason: 'no player to take back: the reconnection grace ran out or the player left' };
    }
    if (generation !== expected) return { ok: false, code: CloseCode.SEAT_USED, reason: 'reconnect token already used' };
    let player: ModePlayer;
    let phase: RoomClient['phase'] = 'welcoming';
    if (current) {
      current.sink.close(CloseCode.REPLACED, 'replaced by a new connection');
      this.forget(current);
      player = current.player;
      if (current.phase === 'joining') phase = 'joining';
    } else {
      this.held.release(playerId);
      player = held!.player;
    }
    return { ok: true, client: this.connect(player, sink, generation + 1, phase) };
  }

  /** The connection of `client` ended. See `Departure` for what happens to the player. */
  detach(client: RoomClient, how: Departure = 'dropped'): void {
    if (client.phase === 'gone') return;
    const joined = client.phase !== 'joining';
    this.forget(client);
    if (!joined) return; // the mode never saw this player
    if (how === 'dropped' && this.held.hold(client.player, client.generation, this.clock.now())) return;
    this.leaving.push(client.player);
  }

  /** One binary message from a client. Anything malformed closes that client only. */
  receive(client: RoomClient, bytes: Uint8Array): void {
    if (client.phase === 'gone') return;
    const msg = decodeClientMessage(bytes, this.mode.input);
    if (msg.type === 'violation') return this.kick(client, msg.code, msg.reason);
    switch (msg.type) {
      case ClientMessage.INPUT: {
        if (msg.seq <= client.lastSeq) return this.kick(client, CloseCode.INVALID_DATA, `input sequence ${msg.seq} after ${client.lastSeq}`);
        if (msg.seq - client.lastSeq > SEQ_MAX_JUMP) return this.kick(client, CloseCode.INVALID_DATA, `input sequence jumped from ${client.lastSeq} to ${msg.seq}`);
        client.lastSeq = msg.seq;
        const verdict = client.inputLimiter.take(this.clock.now());
        if (verdict === 'close') return this.kick(client, CloseCode.POLICY_VIOLATION, 'input flood');
        if (verdict === 'drop') return;
        if (client.inputs.length >= this.limits.inputQueue) {
          client.inputs.shift();
          client.inputsDropped++;
        }
        client.inputs.push({ player: client.player, seq: msg.seq, input: msg.input });
        return;
      }
      case ClientMessage.PING: {
        const verdict = client.pingLimiter.take(this.clock.now());
        if (verdict === 'close') return this.kick(client, CloseCode.POLICY_VIOLATION, 'ping flood');
        if (verdict === 'drop') return;
        client.sink.send(encodePong(msg.clientTime, this.clock.now()));
        return;
      }
      case ClientMessage.LEAVE:
        client.sink.close(CloseCode.NORMAL, 'left');
        this.detach(client, 'left');
        return;
      case ClientMessage.CHAT: {
        const verdict = client.chatLimiter.take(this.clock.now());
        if (verdict === 'close') return this.kick(client, CloseCode.POLICY_VIOLATION, 'chat flood');
        if (verdict === 'drop') return;
        const out = encodeChatBroadcast(client.player.id, client.player.name, msg.text);
        for (const c of this.clients.values()) if (c.phase === 'playing' || c.phase === 'resync') c.sink.send(out);
        return;
      }
    }
  }

  /** Closes every client with `code` and stops the room. */
  dispose(code: number = CloseCode.GOING_AWAY, reason = 'room closed'): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loop.stop();
    for (const c of this.clients.values()) {
      c.phase = 'gone';
      c.sink.close(code, reason);
    }
    this.clients.clear();
    this.held.clear();
    this.seats.clear();
    this.options.onDispose?.(this);
  }

  /** Closes one client's connection with `code` and a reason; other players never notice. */
  kick(client: RoomClient, code: number, reason: string, how: Departure = 'kicked'): void {
    if (client.phase === 'gone') return;
    this.log.info({ room: this.id, player: client.player.id, code, reason }, 'client closed by the server');
    client.sink.close(code, reason);
    this.detach(client, how);
  }

  private connect(player: ModePlayer, sink: ClientSink, generation: number, phase: RoomClient['phase']): RoomClient {
    const now = this.clock.now();
    const client: RoomClient = {
      player,
      sink,
      lastSeq: 0,
      ackSeq: 0,
      credits: 0,
      inputs: [],
      inputsDropped: 0,
      phase,
      resyncSince: 0,
      generation,
      chatLimiter: new RateLimiter(1, 5, 10, now),
      inputLimiter: new RateLimiter(this.tickRate * 1.5, this.tickRate, this.tickRate * 2, now),
      // The client pings about once a second to measure round trips; a pong costs us a send.
      pingLimiter: new RateLimiter(5, 10, 20, now),
    };
    this.clients.set(player.id, client);
    return client;
  }

  /** Stops serving a connection: nothing more goes to or comes from it. */
  private forget(client: RoomClient): void {
    client.phase = 'gone';
    client.inputs.length = 0;
    if (this.clients.get(client.player.id) === client) this.clients.delete(client.player.id);
  }

  /** Runs a mode hook; if it throws, the room (and only the room) goes down. */
  private guard(tick: number, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      this.log.error({ err, mode: this.mode.name, room: this.id, tick }, 'game mode threw; closing its room');
      this.dispose(CloseCode.ROOM_CRASHED, `game mode "${this.mode.name}" failed at tick ${tick}`);
      return false;
    }
  }

  private step(tick: number): void {
    const ctx = this.ctx;
    ctx.tick = tick;
    ctx.timeMs = (tick * 1000) / this.tickRate;
    this.held.expire(this.clock.now(), this.leaving);
    const ok = this.guard(tick, () => {
      for (const player of this.leaving) this.mode.leave(this.state, player, ctx);
      this.leaving.length = 0;
      for (const c of this.clients.values()) {
        if (c.phase === 'joining') {
          this.mode.join(this.state, c.player, ctx);
          c.phase = 'welcoming';
        }
      }
      this.collectInputs();
      this.mode.tick(this.state, this.batch, ctx);
    });
    if (!ok) return;
    try {
      this.broadcast(tick);
    } catch (err) {
      // An engine bug must cost this room, not the process and every other room.
      this.log.error({ err, room: this.id, tick }, 'sending the tick failed; closing the room');
      this.dispose(CloseCode.INTERNAL_ERROR, 'server error in this room');
      return;
    }
    this.expireSeats();
    if (this.occupancy === 0 && this.leaving.length === 0) this.dispose(CloseCode.NORMAL, 'room empty');
  }

  private collectInputs(): void {
    const batch = this.batch;
    batch.length = 0;
    const burst = this.limits.inputBurst;
    for (const c of this.clients.values()) {
      c.credits = Math.min(c.credits + 1, burst);
      while (c.credits >= 1 && c.inputs.length > 0) {
        const frame = c.inputs.shift()!;
        batch.push(frame);
        c.ackSeq = frame.seq;
        c.credits--;
      }
    }
  }

  private broadcast(tick: number): void {
    const patch = this.encoder.encode();
    // One copy per room per tick: the encoder's buffer is reused by the next encode.
    const body = patch.slice();
    const { slowReaderBytes, closeReaderBytes, slowReaderTimeoutMs } = this.limits;
    const now = this.clock.now();
    let fullStateNeeded = false;
    // A slow reader is closed as 'dropped': its player is held, so it can come back when its
    // network does.
    for (const c of this.clients.values()) {
      if (c.phase === 'playing') {
        const buffered = c.sink.bufferedAmount;
        if (buffered > closeReaderBytes) {
          this.kick(c, CloseCode.TOO_SLOW, 'client stopped reading', 'dropped');
        } else if (buffered > slowReaderBytes) {
          c.phase = 'resync'; // patches skipped from here on; full state once it drains
          c.resyncSince = now;
        } else {
          c.sink.sendPatch(ServerMessage.PATCH, tick, c.ackSeq, body);
        }
      } else if (c.phase === 'welcoming') {
        fullStateNeeded = true;
      } else if (c.phase === 'resync') {
        const buffered = c.sink.bufferedAmount;
        if (buffered > closeReaderBytes) this.kick(c, CloseCode.TOO_SLOW, 'client stopped reading', 'dropped');
        else if (now - c.resyncSince > slowReaderTimeoutMs) this.kick(c, CloseCode.TOO_SLOW, 'client stopped reading for too long', 'dropped');
        else if (buffered <= slowReaderBytes / 2) fullStateNeeded = true;
      }
    }
    this.encoder.discardChanges();
    if (!fullStateNeeded) return;
    const full = this.encoder.encodeAll().slice();
    for (const c of this.clients.values()) {
      if (c.phase === 'welcoming') {
        c.sink.send(
          encodeWelcome({
            playerId: c.player.id,
            tickRate: this.tickRate,
            tick,
            serverTime: now,
            mode: this.mode.name,
            roomId: this.id,
            reconnectToken: this.options.reconnectToken?.(c.player.id, c.generation) ?? '',
            state: full,
          }),
        );
        c.phase = 'playing';
      } else if (c.phase === 'resync' && c.sink.bufferedAmount <= slowReaderBytes / 2) {
        c.sink.sendPatch(ServerMessage.RESYNC, tick, c.ackSeq, full);
        c.phase = 'playing';
      }
    }
  }

  private expireSeats(): void {
    if (this.seats.size === 0) return;
    const now = this.clock.now();
    for (const [id, seat] of this.seats) if (seat.expiresAt < now) this.seats.delete(id);
  }

  /** Read-only view of the seated clients (for the registry, metrics and tests). */
  get connectedClients(): IterableIterator<RoomClient> {
    return this.clients.values();
  }
}
