/**
 * Seat tokens: what lets a client open the game socket. Both kinds name a room and are signed with
 * HMAC-SHA256 under the server secret, so they cannot be forged:
 * - a seat token (from matchmaking) names a reserved seat and carries its expiry;
 *   format `<roomId>.<seatId>.<expiresAtMs>.<signature>`;
 * - a reconnect token (in WELCOME) names a player and a generation, and takes that player back
 *   after a dropped connection; format `<roomId>.<playerId>.<generation>.<signature>`.
 * A seat reserved by the cluster directory (cluster/redis-directory.ts) carries the player's name
 * as a fifth part, `<roomId>.<seatId>.<expiresAtMs>.<base64url name>.<signature>`, because the
 * node that owns the room did not make the reservation and learns of it from the token alone;
 * its expiry is wall-clock time (Redis's clock), where a local seat's is this process's clock.
 * Single use is enforced by the room: it forgets a seat once taken, and bumps a player's generation
 * on every reconnection. The two kinds are signed under different prefixes, so neither can pass
 * for the other.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SeatClaim {
  roomId: string;
  seatId: string;
  /** Clock time (local seats) or wall-clock ms since the epoch (cluster seats, `name` set). */
  expiresAt: number;
  /** Set for a seat reserved by the cluster directory: the player's name. */
  name?: string;
}

export interface ReconnectClaim {
  roomId: string;
  playerId: number;
  generation: number;
}

export type SeatTokenCheck = { ok: true; claim: SeatClaim } | { ok: false; reason: 'malformed' | 'forged' | 'expired'; claim?: SeatClaim };
export type ReconnectTokenCheck = { ok: true; claim: ReconnectClaim } | { ok: false; reason: 'malformed' | 'forged' };

const PART = /^[A-Za-z0-9_-]{1,64}$/;
const NUMBER = /^\d{1,15}$/;
const RECONNECT_DOMAIN = 'reconnect.';

export class SeatTokens {
  constructor(
    private readonly secret: string,
    /** Wall clock for cluster seats' expiry. */
    private readonly wallNow: () => number = Date.now,
  ) {}

  sign(claim: SeatClaim): string {
    let body = `${claim.roomId}.${claim.seatId}.${Math.floor(claim.expiresAt)}`;
    if (claim.name !== undefined) body += `.${Buffer.from(claim.name).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** `now` is this process's clock, for local seats; cluster seats are checked against the wall clock. */
  verify(token: string, now: number): SeatTokenCheck {
    const named = token.split('.', 6).length === 5;
    const parts = named ? this.openNamed(token) : this.open(token, '', NUMBER);
    if (typeof parts === 'string') return { ok: false, reason: parts };
    const [roomId, seatId, exp, name] = parts;
    const claim: SeatClaim = { roomId, seatId, expiresAt: Number(exp) };
    if (name !== undefined) claim.name = name;
    if ((named ? this.wallNow() : now) > claim.expiresAt) return { ok: false, reason: 'expired', claim };
    return { ok: true, claim };
  }

  /** `roomId.seatId.expiresAt.name.sig`, the name base64url (up to 20 characters of UTF-8). */
  private openNamed(token: string): [string, string, string, string] | 'malformed' | 'forged' {
    if (token.length > 300) return 'malformed';
    const parts = token.split('.');
    if (parts.length !== 5 || !parts.every((p) => p.length > 0 && p.length <= 112 && /^[A-Za-z0-9_-]+$/.test(p))) return 'malformed';
    const [a, b, c, n, sig] = parts as [string, string, string, string, string];
    if (!PART.test(a) || !PART.test(b) || !NUMBER.test(c)) return 'malformed';
    const expected = Buffer.from(this.mac(`${a}.${b}.${c}.${n}`));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    const name = Buffer.from(n, 'base64url').toString('utf8');
    if (name.length === 0 || name.length > 20) return 'malformed';
    return [a, b, c, name];
  }

  signReconnect(claim: ReconnectClaim): string {
    const body = `${claim.roomId}.${claim.playerId}.${claim.generation}`;
    return `${body}.${this.mac(RECONNECT_DOMAIN + body)}`;
  }

  verifyReconnect(token: string): ReconnectTokenCheck {
    const parts = this.open(token, RECONNECT_DOMAIN, NUMBER, NUMBER);
    if (typeof parts === 'string') return { ok: false, reason: parts };
    const [roomId, playerId, generation] = parts;
    return { ok: true, claim: { roomId, playerId: Number(playerId), generation: Number(generation) } };
  }

  /**
   * Splits `a.b.c.sig`, checks the shape (`c`, and `b` when given, against their patterns), then
   * the signature over `domain + 'a.b.c'` in constant time.
   */
  private open(token: string, domain: string, cShape: RegExp, bShape = PART): [string, string, string] | 'malformed' | 'forged' {
    if (token.length > 300) return 'malformed';
    const parts = token.split('.');
    if (parts.length !== 4 || !parts.every((p) => PART.test(p))) return 'malformed';
    const [a, b, c, sig] = parts as [string, string, string, string];
    if (!bShape.test(b) || !cShape.test(c)) return 'malformed';
    const expected = Buffer.from(this.mac(`${domain}${a}.${b}.${c}`));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return [a, b, c];
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
