/**
 * The rooms THIS process runs: it creates them (up to MAX_ROOMS), finds them by id for admission,
 * closes them all at shutdown, and tells listeners when a room is created or disposed or its
 * occupancy changed, so a directory (embedded, or shared in Redis) can publish where rooms are.
 * It knows nothing about matchmaking: finding a room for a player is the directory's job.
 *
 * MAX_ROOMS cannot be filled by reservations alone: at the limit, a new room takes the place of
 * the oldest abandoned one (no player ever connected or still held, every reservation older than
 * the claim grace), whose late claims then hear 4004. The host also keeps the ledger of unclaimed
 * seats per address that the directory bounds (rooms/seat-policy.ts).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Schema } from '@colyseus/schema';
import { CloseReasons, type ModeDefinition } from '@tickforge/shared';
import type { Clock } from '../clock';
import { Errors } from '../errors';
import { Room, type RoomLimits, type RoomLog } from '../room';
import { SeatLedger } from '../room/seats';
import type { SeatTokens } from '../seat-tokens';

export interface RoomHostOptions {
  modes: readonly ModeDefinition<any, any>[];
  clock: Clock;
  /** Signs each room's reconnect tokens. */
  tokens: SeatTokens;
  seatTtlMs: number;
  /** How long a player whose connection dropped keeps their seat (0: no reconnection). */
  reconnectGraceMs?: number;
  maxRooms: number;
  /** Ms an unclaimed reservation is safe from being given up for a player who needs its place. */
  seatClaimGraceMs?: number;
  maxCatchUp: number;
  tickRateOverride?: number | undefined;
  limits?: Partial<RoomLimits>;
  log?: RoomLog;
  /** Seeds rooms deterministically (tests); random otherwise. */
  seed?: number;
  onTickMeasured?(durationMs: number, room: Room): void;
  /** Every room's `afterTick` (the gateways' flush). */
  afterTick?(): void;
  /** Empty rooms stay open until the directory closes them (a cluster: see Room's keepWhenEmpty). */
  keepEmptyRooms?: boolean;
}

/** What a directory (or metrics) hears from the host. Every member is optional. */
export interface RoomHostListener {
  roomCreated?(room: Room): void;
  roomDisposed?(room: Room): void;
  /**
   * The room's occupancy (seats taken) or connected player count changed. Checked after every
   * tick, so it fires at most once a tick and within one tick of the change.
   */
  occupancyChanged?(room: Room): void;
}

export class RoomHost {
  private readonly rooms = new Map<string, Room>();
  private readonly listeners = new Set<RoomHostListener>();
  /** Occupancy and player count last reported per room, to report changes only. */
  private readonly reported = new Map<Room, number>();
  private closed = false;
  private seedCounter = 0;
  /** Unclaimed seats per address across this process's rooms. */
  readonly seatLedger = new SeatLedger();

  constructor(private readonly options: RoomHostOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  get modes(): readonly ModeDefinition<Schema, unknown>[] {
    return this.options.modes;
  }

  /** The mode called `name`; throws TF_ERR_UNKNOWN_MODE. */
  modeNamed(name: string): ModeDefinition<Schema, unknown> {
    const mode = this.options.modes.find((m) => m.name === name);
    if (!mode)
      throw Errors.unknownMode(
        name,
        this.options.modes.map((m) => m.name),
      );
    return mode;
  }

  /** False once `closeAll` ran: no room is created any more. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** Subscribes to room events; returns the unsubscribe function. */
  listen(listener: RoomHostListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Opens and starts a room of `mode`. Throws TF_ERR_TOO_MANY_ROOMS at MAX_ROOMS,
   * TF_ERR_SHUTTING_DOWN after `closeAll`, TF_ERR_ROOM_CRASHED when the mode's create hook throws.
   */
  create(mode: ModeDefinition<Schema, unknown>): Room {
    if (this.closed) throw Errors.shuttingDown();
    const { options } = this;
    if (this.rooms.size >= options.maxRooms && !this.evictAbandoned()) throw Errors.tooManyRooms(options.maxRooms);
    let id: string;
    do id = randomBytes(6).toString('base64url');
    while (this.rooms.has(id));
    const seed = options.seed !== undefined ? options.seed + this.seedCounter++ : randomInt(2 ** 31);
    const room = new Room({
      id,
      mode,
      clock: options.clock,
      seed,
      tickRate: options.tickRateOverride,
      maxCatchUp: options.maxCatchUp,
      seatTtlMs: options.seatTtlMs,
      reconnectGraceMs: options.reconnectGraceMs,
      reconnectToken: (playerId, generation) => options.tokens.signReconnect({ roomId: id, playerId, generation }),
      limits: options.limits,
      log: options.log,
      seatLedger: this.seatLedger,
      keepWhenEmpty: options.keepEmptyRooms,
      afterTick: options.afterTick,
      onTickMeasured: (ms, r) => {
        options.onTickMeasured?.(ms, r);
        this.checkOccupancy(r);
      },
      onDispose: (r) => {
        this.rooms.delete(r.id);
        this.reported.delete(r);
        for (const l of this.listeners) l.roomDisposed?.(r);
      },
    });
    // Its create hook threw: the room logged it and closed itself; do not hand out seats in it.
    if (room.isDisposed) throw Errors.roomCrashed(mode.name);
    this.rooms.set(id, room);
    this.reported.set(room, occupancyKey(room));
    for (const l of this.listeners) l.roomCreated?.(room);
    room.start();
    return room;
  }

  /** Closes every room with `code` and `reason` (graceful shutdown); no room is created after it. */
  closeAll(code: number = CloseReasons.shuttingDown[0], reason: string = CloseReasons.shuttingDown[1]): void {
    this.closed = true;
    for (const room of [...this.rooms.values()]) room.dispose(code, reason);
  }

  /** Rooms whose tick loop runs (a player connected or held). */
  get ticking(): number {
    let n = 0;
    for (const r of this.rooms.values()) if (r.isTicking) n++;
    return n;
  }

  /** Disposes the oldest abandoned room (see the file comment); false when there is none. */
  private evictAbandoned(): boolean {
    const grace = this.options.seatClaimGraceMs ?? this.options.seatTtlMs;
    // Map order is creation order: the first abandoned room is the oldest.
    for (const room of this.rooms.values()) {
      if (room.isAbandoned(grace)) {
        room.dispose(...CloseReasons.roomGone);
        return true;
      }
    }
    return false;
  }

  private get hasOccupancyListener(): boolean {
    for (const l of this.listeners) if (l.occupancyChanged) return true;
    return false;
  }

  private checkOccupancy(room: Room): void {
    if (room.isDisposed || !this.hasOccupancyListener) return;
    const key = occupancyKey(room);
    if (this.reported.get(room) === key) return;
    this.reported.set(room, key);
    for (const l of this.listeners) l.occupancyChanged?.(room);
  }
}

/** Occupancy and player count in one number (both are far below 2^16). */
function occupancyKey(room: Room): number {
  return room.occupancy * 65536 + room.playerCount;
}
