/**
 * A room: one running instance of a game mode (Quake III's sv_main.c). It owns the authoritative
 * state, the tick loop, the seats and the connected clients, and this file holds its lifecycle
 * (create, start, attach/reattach/detach, kick, dispose) and the order of one tick; the jobs of a
 * tick live beside it: client-messages.ts, input-queue.ts, tick-events.ts, snapshot-sender.ts,
 * seats.ts, held-players.ts, with every limit in limits.ts. It talks to clients only through `ClientSink`,
 * so the same room runs behind WebSockets (transport/ws-game-socket.ts) or in the headless harness.
 *
 * One tick, in order (`step`): forget the last tick's events, remove the players who left, seat those who arrived, hand each
 * player's due input frames to the mode, let the mode step, send the patch, drop the readers that
 * cannot keep up, then send full state to newcomers and to slow readers that drained.
 *
 * A room ticks only while it has a player, connected or held for reconnection: a room of nothing
 * but reservations (just created, or every player gone) waits on one timer for its next seat to
 * expire and is disposed when the last one has, so reservations that never connect cost a timer,
 * not a tick loop (issue 12). The first connection starts the loop; the tick count goes on.
 *
 * How a connection ends decides what happens to its player (`Departure`): a player who left (LEAVE,
 * or a close handshake) or was closed for breaking the protocol leaves at the next tick; a player
 * whose connection dropped is held for the reconnection grace (held-players.ts) and can come back
 * with the reconnect token of their last WELCOME.
 */
import { Encoder, type Schema } from '@colyseus/schema';
import {
  CloseReasons,
  countingRandom,
  createModeContext,
  encodeStateHash,
  stateHash,
  type CloseReason,
  type CountingRandom,
  type ModeDefinition,
  type ModeEvent,
  type ModePlayer,
  type PlayerInput,
} from '@tickforge/shared';
import type { Clock, TimerHandle } from '../clock';
import { TickLoop } from '../tick-loop';
import { createRoomClient, type AttachResult, type ClientPhase, type ClientSink, type Departure, type RoomClient } from './client';
import { ClientMessages } from './client-messages';
import { HeldPlayers } from './held-players';
import { Interest } from './interest';
import { History } from './history';
import { collectDueInputs } from './input-queue';
import { boundEncoderMemory } from './encoder-memory';
import { DEFAULT_LIMITS, type RoomLimits } from './limits';
import { Seats, type SeatLedger, type SeatReservation } from './seats';
import { SnapshotSender } from './snapshot-sender';
import { TickEvents } from './tick-events';
import type { RecordingStart, TickRecorder } from './tick-recorder';

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
  /** Counts unclaimed seats per address across the process (the host's); default: this room's own. */
  seatLedger?: SeatLedger;
  onTickMeasured?(durationMs: number, room: Room): void;
  /**
   * Runs at the end of every tick, inside its measured time: the transport sends what the tick
   * queued for it (gateways: one IPC message per gateway, transport/gateway/gateways.ts).
   */
  afterTick?(): void;
  onDispose?(room: Room): void;
  /** Ticks between two state hashes (STATE_HASH to clients, HASH in a recording). Default: half the tick rate. */
  stateHashEvery?: number;
  /**
   * An empty room stays open (a cluster directory closes it: a seat reserved in it on another
   * node may be on its way). Default false: the room closes itself once empty.
   */
  keepWhenEmpty?: boolean;
}

export interface RoomLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silentLog: RoomLog = { info() {}, warn() {}, error() {} };

export class Room {
  readonly id: string;
  readonly mode: ModeDefinition<Schema, unknown>;
  readonly state: Schema;
  readonly tickRate: number;
  readonly loop: TickLoop;
  readonly createdAt: number;
  private readonly clock: Clock;
  private readonly ctx: ReturnType<typeof createModeContext>;
  /** What was sent, for lag compensation (`ctx.positionAt`). */
  private readonly history: History;
  private readonly limits: RoomLimits;
  private readonly log: RoomLog;
  private readonly seats: Seats;
  private readonly clients = new Map<number, RoomClient>();
  private readonly held: HeldPlayers;
  private readonly messages: ClientMessages;
  private readonly sender: SnapshotSender;
  private readonly events: TickEvents;
  /** Per-client views (interest.ts), for a mode that declares interest; otherwise one shared patch. */
  private readonly interest: Interest | undefined;
  private readonly leaving: ModePlayer[] = [];
  private readonly batch: PlayerInput<unknown>[] = [];
  private readonly joined: ModePlayer[] = [];
  private readonly random: CountingRandom;
  readonly stateHashEvery: number;
  private recorder: TickRecorder | undefined;
  private nextPlayerId = 1;
  private disposed = false;
  private started = false;
  /** While idle (no player): fires when the next seat expires. */
  private sweep: TimerHandle | undefined;

  constructor(private readonly options: RoomOptions) {
    this.id = options.id;
    this.mode = options.mode;
    this.clock = options.clock;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log ?? silentLog;
    this.seats = new Seats(options.clock, options.seatTtlMs, options.seatLedger);
    this.held = new HeldPlayers(options.reconnectGraceMs ?? 0);
    this.tickRate = options.tickRate ?? options.mode.tickRate;
    this.createdAt = options.clock.now();
    this.events = new TickEvents(options.mode.events);
    const events = this.events;
    this.random = countingRandom(options.seed);
    this.stateHashEvery = options.stateHashEvery ?? Math.max(1, Math.round(this.tickRate / 2));
    this.history = new History((Math.min(this.limits.maxRewindMs, 1000) * this.tickRate) / 1000, this.tickRate);
    this.ctx = createModeContext(this.tickRate, this.random, (event) => events.emit(event), this.history);
    this.state = new options.mode.State();
    this.messages = new ClientMessages(options.mode.input, options.clock, this.clients, this);
    const encoder = new Encoder(this.state);
    boundEncoderMemory(encoder);
    this.interest = options.mode.interest ? new Interest(options.mode, this.state, encoder, this.stateHashEvery) : undefined;
    this.sender = new SnapshotSender(
      encoder,
      this.limits,
      {
        roomId: this.id,
        mode: this.mode.name,
        tickRate: this.tickRate,
        reconnectToken: options.reconnectToken,
      },
      this.interest,
      () => options.clock.now(),
    );
    this.loop = new TickLoop({
      rate: this.tickRate,
      clock: options.clock,
      maxCatchUp: options.maxCatchUp ?? 5,
      onTick: options.afterTick
        ? (tick) => {
            this.step(tick);
            options.afterTick!();
          }
        : (tick) => this.step(tick),
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
  /** Of the last tick's duration, the ms spent handing its patches to the clients' sinks (the socket writes). */
  get tickWritesMs(): number {
    return this.sender.writesMs;
  }
  /** The mode events of the last tick (those its patch carried); empty on most ticks. */
  get tickEvents(): readonly ModeEvent[] {
    return this.events.list;
  }
  /** What the server decided `player` sees (a mode with interest); undefined otherwise. */
  visibleTo(player: ModePlayer): ReadonlySet<object> | undefined {
    return this.interest?.visibleTo(player);
  }
  /** Read-only view of the seated clients (for the registry, metrics and tests). */
  get connectedClients(): IterableIterator<RoomClient> {
    return this.clients.values();
  }

  /** True while the tick loop runs (the room has a player, connected or held). */
  get isTicking(): boolean {
    return this.loop.isRunning;
  }

  /** The recorder writing this room's log, if one runs. */
  get recording(): TickRecorder | undefined {
    return this.recorder;
  }

  /**
   * Starts recording (tick-recorder.ts): `make` gets what the log's header needs (at tick 0 just the
   * seed; on a running room the whole server state too) and returns the recorder the tick calls.
   */
  startRecording(make: (start: RecordingStart) => TickRecorder): TickRecorder {
    if (this.recorder) return this.recorder;
    const fresh = this.tick === 0;
    const players = [...this.clients.values()].filter((c) => c.phase !== 'joining').map((c) => c.player);
    this.recorder = make({
      roomId: this.id,
      mode: this.mode,
      tickRate: this.tickRate,
      seed: this.options.seed,
      startTick: this.tick,
      draws: fresh ? 0 : this.random.draws,
      state: fresh ? undefined : this.state,
      players: fresh ? [] : [...players, ...this.held.players()],
      hashEvery: this.stateHashEvery,
      maxRewindTicks: this.history.maxRewindTicks,
    });
    return this.recorder;
  }

  /** Stops the recording (its END record says `reason`); resolves when the log is on disk. */
  stopRecording(reason = 'stopped'): Promise<void> {
    const r = this.recorder;
    this.recorder = undefined;
    return r ? r.end(this.tick, reason) : Promise.resolve();
  }

  /** Lets the room run: it ticks from its first player on (see the file comment). */
  start(): void {
    if (this.disposed) return;
    this.started = true;
    // A new room gets its first seat right after this: wait for it rather than closing as empty.
    if (this.clients.size > 0 || this.held.size > 0) this.loop.start();
    else this.scheduleSweep();
  }

  /** Reserves a seat for `name` (matchmade from `address`) until the token expires. The caller checks `isFull` first. */
  reserveSeat(name: string, address = ''): SeatReservation {
    const seat = this.seats.reserve(name, address);
    if (!this.loop.isRunning) this.scheduleSweep();
    return seat;
  }

  /** Unclaimed seats reserved from `address` in this room. */
  seatsHeldBy(address: string): number {
    return this.seats.heldBy(address);
  }

  /** Gives up the oldest unclaimed seat older than `graceMs` (its late claim gets 4002); false if none is. */
  giveUpStaleSeat(graceMs: number): boolean {
    return this.seats.giveUpOldest(graceMs);
  }

  /** No player connected or held, and every reservation older than `graceMs`: a room only reservations that never connected keep. */
  isAbandoned(graceMs: number): boolean {
    return this.clients.size === 0 && this.held.size === 0 && this.leaving.length === 0 && this.seats.allOlderThan(graceMs);
  }

  /** Seats reserved by the cluster directory that players took since the last call. */
  takeHonouredSeats(): string[] {
    return this.seats.takeHonoured();
  }

  /**
   * Takes the reserved seat for a connection that presented its token. Single use. `remote`: the
   * seat was reserved by the cluster directory (the token named the player), not in this room.
   */
  attach(seatId: string, sink: ClientSink, remote?: { name: string; validForMs: number }): AttachResult {
    if (this.disposed) return refusal(CloseReasons.roomGoneClosed);
    const taken = this.seats.take(seatId);
    let seat = taken.ok ? taken.seat : undefined;
    if (!seat && remote) {
      // The directory never seats past the maximum; this holds only if it lost its data (Redis emptied).
      if (this.occupancy >= this.mode.maxPlayers) return refusal(CloseReasons.seatLostWithDirectory);
      seat = this.seats.honour(seatId, remote.name, remote.validForMs);
    }
    if (!seat) return refusal(!taken.ok && taken.why === 'given-up' ? CloseReasons.seatGivenUp : CloseReasons.seatTokenUsed);
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
    if (this.disposed) return refusal(CloseReasons.roomGoneClosed);
    const current = this.clients.get(playerId);
    const held = this.held.get(playerId);
    const expected = current?.generation ?? held?.generation;
    if (expected === undefined) {
      return refusal(CloseReasons.nobodyToTakeBack);
    }
    if (generation !== expected) return refusal(CloseReasons.reconnectTokenUsed);
    let player: ModePlayer;
    let phase: ClientPhase = 'welcoming';
    if (current) {
      current.sink.close(...CloseReasons.replaced);
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

  /** One binary message from a client (client-messages.ts). Anything malformed closes that client only. */
  receive(client: RoomClient, bytes: Uint8Array): void {
    client.bytesIn += bytes.byteLength;
    this.messages.receive(client, bytes);
  }

  /** Closes every client with `code` and stops the room. */
  dispose(code: number = CloseReasons.roomClosed[0], reason: string = CloseReasons.roomClosed[1]): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loop.stop();
    this.sweep?.cancel();
    for (const c of this.clients.values()) {
      c.phase = 'gone';
      c.sink.close(code, reason);
    }
    this.clients.clear();
    this.held.clear();
    this.seats.clear();
    void this.stopRecording(`room disposed: ${reason}`);
    this.options.onDispose?.(this);
  }

  /** Closes one client's connection with `code` and a reason; other players never notice. */
  kick(client: RoomClient, code: number, reason: string, how: Departure = 'kicked'): void {
    if (client.phase === 'gone') return;
    this.log.info({ room: this.id, player: client.player.id, code, reason }, 'client closed by the server');
    client.sink.close(code, reason);
    this.detach(client, how);
  }

  private connect(player: ModePlayer, sink: ClientSink, generation: number, phase: ClientPhase): RoomClient {
    const client = createRoomClient(player, sink, generation, phase, this.limits, this.tickRate, this.clock.now());
    this.clients.set(player.id, client);
    this.wake();
    return client;
  }

  /** Ticks if the room has a player; otherwise waits for its next seat to expire (or closes, if none is left). */
  private wake(): void {
    if (!this.started || this.disposed) return;
    if (this.clients.size > 0 || this.held.size > 0 || this.leaving.length > 0) {
      this.sweep?.cancel();
      this.sweep = undefined;
      this.loop.start();
      return;
    }
    this.loop.stop();
    this.seats.expire();
    // A cluster room stays open empty: its directory closes it (a seat reserved elsewhere may be on its way).
    if (this.seats.size === 0 && !this.options.keepWhenEmpty) this.dispose(...CloseReasons.roomEmpty);
    else this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (!this.started || this.disposed) return;
    this.sweep?.cancel();
    const next = this.seats.nextExpiry;
    this.sweep = next === undefined ? undefined : this.clock.setTimer(() => this.wake(), next - this.clock.now() + 1);
  }

  /** Stops serving a connection: nothing more goes to or comes from it. */
  private forget(client: RoomClient): void {
    client.phase = 'gone';
    client.inputs.clear();
    if (this.clients.get(client.player.id) === client) this.clients.delete(client.player.id);
  }

  /** Runs a mode hook; if it throws, the room (and only the room) goes down. */
  private guard(tick: number, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      this.log.error({ err, mode: this.mode.name, room: this.id, tick }, 'game mode threw; closing its room');
      this.dispose(...CloseReasons.modeFailed(this.mode.name, tick));
      return false;
    }
  }

  /** One tick: the rules, then the sending (Quake III's SV_Frame). */
  private step(tick: number): void {
    const ctx = this.ctx;
    ctx.tick = tick;
    ctx.timeMs = (tick * 1000) / this.tickRate;
    this.sender.writesMs = 0; // a tick that ends before sending wrote nothing
    this.events.clear();
    this.held.expire(this.clock.now(), this.leaving);
    const ok = this.guard(tick, () => {
      for (const player of this.leaving) this.mode.leave(this.state, player, ctx);
      const joined = this.joined;
      joined.length = 0;
      for (const c of this.clients.values()) {
        if (c.phase === 'joining') {
          this.mode.join(this.state, c.player, ctx);
          c.phase = 'welcoming';
          joined.push(c.player);
        }
      }
      collectDueInputs(this.clients.values(), this.batch, tick, this.clock.now(), this.history.maxRewindTicks);
      // What the simulation applies, as it applies it: whatever the queue decided.
      this.recorder?.tick(tick, this.leaving, joined, this.batch);
      this.leaving.length = 0;
      this.mode.tick(this.state, this.batch, ctx);
      if (this.mode.lagCompensation) this.history.record(tick, this.mode.lagCompensation, this.state);
    });
    if (!ok) return;
    try {
      this.send(tick);
    } catch (err) {
      // An engine bug must cost this room, not the process and every other room.
      this.log.error({ err, room: this.id, tick }, 'sending the tick failed; closing the room');
      this.dispose(...CloseReasons.roomError);
      return;
    }
    this.seats.expire();
    // Nobody left to play for: stop ticking (and close once no seat is reserved either).
    if (this.clients.size === 0 && this.held.size === 0 && this.leaving.length === 0) this.wake();
  }

  private send(tick: number): void {
    const now = this.clock.now();
    this.interest?.update(tick, this.clients.values());
    // Without interest, hashed once for every client and the recorder: the state each client
    // decodes from this tick's patch. Its STATE_HASH rides behind the patch, in the same write.
    // With interest each client holds its own view: the sender hashes the views that are due
    // after the tick (`hashViews` below), and the whole state is hashed only for a recording.
    const hashDue = tick % this.stateHashEvery === 0;
    const hash = hashDue && (!this.interest || this.recorder) ? stateHash(this.state) : 0;
    const then = hashDue && !this.interest ? encodeStateHash(tick, hash) : undefined;
    const drops = this.sender.sendPatches(tick, now, this.clients.values(), this.events.bytes, then);
    for (const d of drops) this.kick(d.client, d.code, d.reason, d.how);
    if (hashDue) this.recorder?.hash(tick, hash, this.state);
    this.sender.sendFullStates(tick, now, this.clients.values());
    if (this.sender.viewHashesDue) {
      this.hashTick = tick;
      this.clock.setTimer(this.hashViews, 0);
    }
  }

  /** The tick whose views wait for `hashViews`. */
  private hashTick = -1;
  // Just after the tick (a timer due now: on a ManualClock, within the same advance), unless
  // another tick ran first (a catch-up after a stall) and the views moved on: those are skipped.
  private readonly hashViews = (): void => {
    if (this.disposed || this.hashTick !== this.ctx.tick) return;
    this.sender.hashViews(this.hashTick);
  };

  /**
   * A client's decoded state hashed differently from the server's at `tick` (it sent RESYNC_REQUEST):
   * the room logs it and sends that client, after the next tick's patch, that tick's full state. `field` comes later, in
   * the client's DESYNC_REPORT, once it compared its state with the full one.
   */
  desync(client: RoomClient, tick: number, field?: string): void {
    if (field !== undefined) {
      this.log.warn({ room: this.id, player: client.player.id, tick, field }, 'client state diverged: first differing field');
      return;
    }
    this.log.warn({ room: this.id, player: client.player.id, tick }, 'client state hash mismatch; sending it the full state');
    client.wantsFullState = true;
  }
}

function refusal([code, reason]: CloseReason): AttachResult {
  return { ok: false, code, reason };
}
