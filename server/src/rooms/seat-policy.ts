/**
 * What an unclaimed reservation may hold (issue 12: reservations that never connect must cost
 * nearly nothing and crowd out no one). Policy, per process:
 * - one address holds at most `perAddress` unclaimed seats in all (MAX_SEATS_PER_ADDRESS, 8) and
 *   `perAddressInRoom` in one room (MAX_SEATS_PER_ADDRESS_IN_ROOM, 4): enough for a few friends
 *   behind one NAT joining together, too few for one address to fill rooms; beyond, 429
 *   TF_ERR_TOO_MANY_SEATS;
 * - a reservation is safe for the claim grace (SEAT_CLAIM_GRACE_SECONDS, 5 s: a client connects
 *   within a second of matchmaking); after it, a player who finds the room full takes the place
 *   of its oldest unclaimed seat (whose late claim hears 4002 "seat given up"). So squatters from
 *   many addresses cannot keep a room full either: each renewal is given up to the next real
 *   player. (A shorter TTL alone would not do: renewing is free.)
 * The same grace lets a new room replace an abandoned one at MAX_ROOMS (rooms/host.ts).
 */
import { Errors } from '../errors';
import type { Room } from '../room';
import type { RoomHost } from './host';

export interface SeatPolicy {
  perAddress: number;
  perAddressInRoom: number;
  claimGraceMs: number;
}

/** Throws TF_ERR_TOO_MANY_SEATS when `address` already holds its share of unclaimed seats. */
export function checkAddressSeats(host: RoomHost, policy: SeatPolicy, address: string | undefined): void {
  if (!address) return;
  const held = host.seatLedger.count(address);
  if (held >= policy.perAddress) throw Errors.tooManySeats(held, 'on this server');
}

/** True when `room` can seat one more player from `address`, giving up a stale reservation if it must. */
export function makeRoom(room: Room, policy: SeatPolicy, address: string | undefined): boolean {
  if (address && room.seatsHeldBy(address) >= policy.perAddressInRoom) throw Errors.tooManySeats(room.seatsHeldBy(address), 'in this room');
  return !room.isFull || room.giveUpStaleSeat(policy.claimGraceMs);
}
