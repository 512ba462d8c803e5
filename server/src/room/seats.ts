/**
 * Seat reservations: matchmaking reserves a seat in a room before the player's socket exists
 * (Colyseus's seat reservation, netcode.io's connect token), the seat token names it, and the
 * connection that presents the token takes it, once. An unclaimed seat expires with its token, so
 * a player who never connects does not hold a place for ever. Players whose connection dropped
 * hold theirs in held-players.ts.
 *
 * In a cluster the seat is reserved in Redis, possibly by another node (cluster/redis-directory.ts),
 * and its signed token carries the player's name: the room honours it without a local
 * reservation, once (`honour`), and reports the seats taken so the directory forgets them.
 */
import type { Clock } from '../clock';

export interface SeatReservation {
  readonly id: string;
  readonly name: string;
  /** Clock time after which the seat is given up. */
  readonly expiresAt: number;
}

export class Seats {
  private readonly seats = new Map<string, SeatReservation>();
  private nextId = 1;
  /** Seats reserved elsewhere that were taken here, until their token has surely expired (clock time). */
  private readonly honoured = new Map<string, number>();
  private honouredSinceReport: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.seats.size;
  }

  reserve(name: string): SeatReservation {
    const seat: SeatReservation = { id: (this.nextId++).toString(36), name, expiresAt: this.clock.now() + this.ttlMs };
    this.seats.set(seat.id, seat);
    return seat;
  }

  /** Takes a reserved seat (single use): the reservation, or undefined if taken or expired. */
  take(id: string): SeatReservation | undefined {
    const seat = this.seats.get(id);
    if (seat) this.seats.delete(id);
    return seat;
  }

  /**
   * Takes a seat the cluster directory reserved (its token was checked and is valid for
   * `validForMs` more): a reservation for `name`, or undefined if this seat was taken already.
   */
  honour(id: string, name: string, validForMs: number): SeatReservation | undefined {
    if (this.honoured.has(id)) return undefined;
    const now = this.clock.now();
    this.honoured.set(id, now + validForMs + 60_000);
    this.honouredSinceReport.push(id);
    return { id, name, expiresAt: now + validForMs };
  }

  /** Ids of the seats honoured since the last call. */
  takeHonoured(): string[] {
    const ids = this.honouredSinceReport;
    if (ids.length > 0) this.honouredSinceReport = [];
    return ids;
  }

  /** Gives up the seats whose token expired. */
  expire(): void {
    if (this.seats.size === 0 && this.honoured.size === 0) return;
    const now = this.clock.now();
    for (const [id, seat] of this.seats) if (seat.expiresAt < now) this.seats.delete(id);
    for (const [id, until] of this.honoured) if (until < now) this.honoured.delete(id);
  }

  clear(): void {
    this.seats.clear();
  }
}
