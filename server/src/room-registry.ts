/**
 * The rooms of this process and matchmaking into them: join-or-create by mode, join a given room,
 * or create a new one. A seat is reserved before the client's socket connects (the token names it),
 * so a room never overfills between matchmaking and connecting.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Schema } from '@colyseus/schema';
import { CloseCode, type ModeDefinition, type RoomSummary } from '@tickforge/shared';
import type { Clock } from './clock';
import { Errors } from './errors';
import { Room, type RoomLimits, type RoomLog } from './room';
import type { SeatTokens } from './seat-tokens';

export interface MatchmakeRequest {
  mode: string;
  name: string;
  /** Join this room rather than any. */
  roomId?: string;
  /** Always open a new room. */
  create?: boolean;
}

export interface Reservation {
  roomId: string;
  mode: string;
  token: string;
  /** Milliseconds the token stays valid. */
  expiresInMs: number;
}


export interface RegistryOptions {
  modes: readonly ModeDefinition<any, any>[];
  clock: Clock;
  tokens: SeatTokens;
  seatTtlMs: number;
  /** How long a player whose connection dropped keeps their seat (0: no reconnection). */
  reconnectGraceMs?: number;
  maxRooms: number;
  maxCatchUp: number;
  tickRateOverride?: number | undefined;
  limits?: Partial<RoomLimits>;
  log?: RoomLog;
  /** Seeds rooms deterministically (tests); random otherwise. */
  seed?: number;
  onTickMeasured?(durationMs: number, room: Room): void;
  onRoomDisposed?(room: Room): void;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private closed = false;
  private seedCounter = 0;

  constructor(private readonly options: RegistryOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  modeNamed(name: string): ModeDefinition<Schema, unknown> {
    const mode = this.options.modes.find((m) => m.name === name);
    if (!mode) throw Errors.unknownMode(name, this.options.modes.map((m) => m.name));
    return mode;
  }

  list(mode?: string): RoomSummary[] {
    const out: RoomSummary[] = [];
    for (const r of this.rooms.values()) {
      if (mode && r.mode.name !== mode) continue;
      out.push({ id: r.id, mode: r.mode.name, players: r.playerCount, seatsTaken: r.occupancy, maxPlayers: r.mode.maxPlayers, tick: r.tick });
    }
    return out;
  }

  /** False once shutdown began: matchmaking answers 503 TF_ERR_SHUTTING_DOWN. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** First step of a graceful shutdown: refuse new players, keep the rooms running. */
  stopMatchmaking(): void {
    this.closed = true;
  }

  matchmake(req: MatchmakeRequest): Reservation {
    if (this.closed) throw Errors.shuttingDown();
    const mode = this.modeNamed(req.mode);
    let room: Room | undefined;
    if (req.roomId) {
      room = this.rooms.get(req.roomId);
      if (!room) throw Errors.roomNotFound(req.roomId);
      if (room.mode !== mode) throw Errors.roomModeMismatch(req.roomId, req.mode);
      if (room.isFull) throw Errors.roomFull(req.roomId, mode.maxPlayers);
    } else if (!req.create) {
      // Fill the fullest room that has space, so rooms fill up rather than spreading thin.
      for (const r of this.rooms.values()) {
        if (r.mode === mode && !r.isFull && (!room || r.occupancy > room.occupancy)) room = r;
      }
    }
    room ??= this.create(mode);
    const seat = room.reserveSeat(req.name);
    return {
      roomId: room.id,
      mode: mode.name,
      token: this.options.tokens.sign({ roomId: room.id, seatId: seat.id, expiresAt: seat.expiresAt }),
      expiresInMs: this.options.seatTtlMs,
    };
  }

  create(mode: ModeDefinition<Schema, unknown>): Room {
    if (this.rooms.size >= this.options.maxRooms) throw Errors.tooManyRooms(this.options.maxRooms);
    let id: string;
    do id = randomBytes(6).toString('base64url');
    while (this.rooms.has(id));
    const seed = this.options.seed !== undefined ? this.options.seed + this.seedCounter++ : randomInt(2 ** 31);
    const room = new Room({
      id,
      mode,
      clock: this.options.clock,
      seed,
      tickRate: this.options.tickRateOverride,
      maxCatchUp: this.options.maxCatchUp,
      seatTtlMs: this.options.seatTtlMs,
      reconnectGraceMs: this.options.reconnectGraceMs,
      reconnectToken: (playerId, generation) => this.options.tokens.signReconnect({ roomId: id, playerId, generation }),
      limits: this.options.limits,
      log: this.options.log,
      onTickMeasured: this.options.onTickMeasured,
      onDispose: (r) => {
        this.rooms.delete(r.id);
        this.options.onRoomDisposed?.(r);
      },
    });
    // Its create hook threw: the room logged it and closed itself; do not hand out seats in it.
    if (room.isDisposed) throw Errors.roomCrashed(mode.name);
    this.rooms.set(id, room);
    room.start();
    return room;
  }

  /** Stops matchmaking and closes every room (graceful shutdown). */
  closeAll(code: number = CloseCode.GOING_AWAY, reason = 'server shutting down'): void {
    this.closed = true;
    for (const room of [...this.rooms.values()]) room.dispose(code, reason);
  }
}
