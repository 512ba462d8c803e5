/**
 * Seat reservations: matchmaking reserves a seat in a room before the player's socket exists
 * (Colyseus's seat reservation, netcode.io's connect token), the seat token names it, and the
 * connection that presents the token takes it, once. An unclaimed seat expires with its token, so
 * a player who never connects does not hold a place for ever. Players whose connection dropped
 * hold theirs in held-players.ts.
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

  /** Gives up the seats whose token expired. */
  expire(): void {
    if (this.seats.size === 0) return;
    const now = this.clock.now();
    for (const [id, seat] of this.seats) if (seat.expiresAt < now) this.seats.delete(id);
  }

  clear(): void {
    this.seats.clear();
  }
}
