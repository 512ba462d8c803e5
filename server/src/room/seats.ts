/**
 * Seat reservations: matchmaking reserves a seat in a room before the player's socket exists
 * (Colyseus's seat reservation, netcode.io's connect token), the seat token names it, and the
 * connection that presents the token takes it, once. An unclaimed seat expires with its token, so
 * a player who never connects does not hold a place for ever; and once it is older than the claim
 * grace it is the first thing given up when a player needs its place (`giveUpOldest`), so
 * reservations that never connect cannot keep a room full. Each seat remembers the address that
 * reserved it, counted in a `SeatLedger` shared by the process's rooms (the per-address bounds).
 * Players whose connection dropped hold theirs in held-players.ts.
 *
 * In a cluster the seat is reserved in Redis, possibly by another node (cluster/redis-directory.ts),
 * and its signed token carries the player's name: the room honours it without a local
 * reservation, once (`honour`), and reports the seats taken so the directory forgets them.
 */
import type { Clock } from '../clock';

export interface SeatReservation {
  readonly id: string;
  readonly name: string;
  /** The client address that matchmade it ('' when unknown: the harness, tests). */
  readonly address: string;
  readonly reservedAt: number;
  /** Clock time after which the seat is given up. */
  readonly expiresAt: number;
}

/** Unclaimed reservations per address, across every room of the process. */
export class SeatLedger {
  private readonly held = new Map<string, number>();

  count(address: string): number {
    return this.held.get(address) ?? 0;
  }

  /** Addresses holding at least one unclaimed seat (metrics, tests). */
  get addresses(): number {
    return this.held.size;
  }

  add(address: string): void {
    if (address) this.held.set(address, this.count(address) + 1);
  }

  release(address: string): void {
    if (!address) return;
    const n = this.count(address) - 1;
    if (n > 0) this.held.set(address, n);
    else this.held.delete(address);
  }
}

export type TakeResult = { ok: true; seat: SeatReservation } | { ok: false; why: 'used' | 'given-up' };

export class Seats {
  private readonly seats = new Map<string, SeatReservation>();
  /** Seats given up for another player, until their token would have expired: their late claim hears why. */
  private readonly givenUp = new Map<string, number>();
  private nextId = 1;
  /** Seats reserved elsewhere that were taken here, until their token has surely expired (clock time). */
  private readonly honoured = new Map<string, number>();
  private honouredSinceReport: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly ledger: SeatLedger = new SeatLedger(),
  ) {}

  get size(): number {
    return this.seats.size;
  }

  /** Unclaimed seats `address` holds here. */
  heldBy(address: string): number {
    let n = 0;
    for (const s of this.seats.values()) if (s.address === address) n++;
    return n;
  }

  /** When the next seat expires (undefined: none reserved). */
  get nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const s of this.seats.values()) if (next === undefined || s.expiresAt < next) next = s.expiresAt;
    return next;
  }

  /** True when every seat was reserved at least `graceMs` ago (and so may be given up). */
  allOlderThan(graceMs: number): boolean {
    const cutoff = this.clock.now() - graceMs;
    for (const s of this.seats.values()) if (s.reservedAt > cutoff) return false;
    return true;
  }

  reserve(name: string, address = ''): SeatReservation {
    const now = this.clock.now();
    const seat: SeatReservation = { id: (this.nextId++).toString(36), name, address, reservedAt: now, expiresAt: now + this.ttlMs };
    this.seats.set(seat.id, seat);
    this.ledger.add(address);
    return seat;
  }

  /** Takes a reserved seat (single use). */
  take(id: string): TakeResult {
    const seat = this.seats.get(id);
    if (seat) {
      this.remove(seat);
      return { ok: true, seat };
    }
    return { ok: false, why: this.givenUp.has(id) ? 'given-up' : 'used' };
  }

  /** Gives up the oldest seat reserved at least `graceMs` ago; false when there is none. */
  giveUpOldest(graceMs: number): boolean {
    const cutoff = this.clock.now() - graceMs;
    let oldest: SeatReservation | undefined;
    for (const s of this.seats.values()) if (s.reservedAt <= cutoff && (!oldest || s.reservedAt < oldest.reservedAt)) oldest = s;
    if (!oldest) return false;
    this.remove(oldest);
    this.givenUp.set(oldest.id, oldest.expiresAt);
    return true;
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
    return { id, name, address: '', reservedAt: now, expiresAt: now + validForMs };
  }

  /** Ids of the seats honoured since the last call. */
  takeHonoured(): string[] {
    const ids = this.honouredSinceReport;
    if (ids.length > 0) this.honouredSinceReport = [];
    return ids;
  }

  /** Gives up the seats whose token expired. */
  expire(): void {
    if (this.seats.size === 0 && this.givenUp.size === 0 && this.honoured.size === 0) return;
    const now = this.clock.now();
    for (const seat of this.seats.values()) if (seat.expiresAt < now) this.remove(seat);
    for (const [id, expiresAt] of this.givenUp) if (expiresAt < now) this.givenUp.delete(id);
    for (const [id, until] of this.honoured) if (until < now) this.honoured.delete(id);
  }

  clear(): void {
    for (const seat of this.seats.values()) this.ledger.release(seat.address);
    this.seats.clear();
    this.givenUp.clear();
  }

  private remove(seat: SeatReservation): void {
    this.seats.delete(seat.id);
    this.ledger.release(seat.address);
  }
}
