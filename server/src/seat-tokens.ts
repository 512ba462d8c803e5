/**
 * Seat tokens: what matchmaking hands a client so it may open the game socket. A token names a
 * room and a reserved seat, carries its expiry, and is signed with HMAC-SHA256 so it cannot be
 * forged. Single use is enforced by the room, which forgets a seat once it is taken.
 *
 * Format: `<roomId>.<seatId>.<expiresAtMs>.<signature base64url>`
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SeatClaim {
  roomId: string;
  seatId: string;
  expiresAt: number;
}

export type SeatTokenCheck = { ok: true; claim: SeatClaim } | { ok: false; reason: 'malformed' | 'forged' | 'expired'; claim?: SeatClaim };

const PART = /^[A-Za-z0-9_-]{1,64}$/;

export class SeatTokens {
  constructor(private readonly secret: string) {}

  sign(claim: SeatClaim): string {
    const body = `${claim.roomId}.${claim.seatId}.${Math.floor(claim.expiresAt)}`;
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string, now: number): SeatTokenCheck {
    if (token.length > 300) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    if (parts.length !== 4) return { ok: false, reason: 'malformed' };
    const [roomId, seatId, exp, sig] = parts as [string, string, string, string];
    if (!PART.test(roomId) || !PART.test(seatId) || !/^\d{1,15}$/.test(exp) || !PART.test(sig)) {
      return { ok: false, reason: 'malformed' };
    }
    const expected = Buffer.from(this.mac(`${roomId}.${seatId}.${exp}`));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    const claim = { roomId, seatId, expiresAt: Number(exp) };
    if (now > claim.expiresAt) return { ok: false, reason: 'expired', claim };
    return { ok: true, claim };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
