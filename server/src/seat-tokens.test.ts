import { describe, expect, it } from 'vitest';
import { SeatTokens } from './seat-tokens';

describe('SeatTokens', () => {
  const tokens = new SeatTokens('a-secret-of-sixteen+');
  const claim = { roomId: 'Ab-_12', seatId: '7', expiresAt: 10_000 };

  it('verifies what it signed until it expires', () => {
    const token = tokens.sign(claim);
    expect(tokens.verify(token, 9_999)).toEqual({ ok: true, claim });
    expect(tokens.verify(token, 10_001)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a token signed with another secret, or altered', () => {
    const other = new SeatTokens('another-secret-xyz').sign(claim);
    expect(tokens.verify(other, 0)).toMatchObject({ ok: false, reason: 'forged' });
    const token = tokens.sign(claim);
    const longer = token.replace('.10000.', '.99999.'); // extend the expiry
    expect(tokens.verify(longer, 0)).toMatchObject({ ok: false, reason: 'forged' });
    const otherRoom = token.replace('Ab-_12', 'Ab-_13');
    expect(tokens.verify(otherRoom, 0)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('refuses malformed tokens', () => {
    for (const t of ['', 'a.b.c', 'a.b.c.d.e', 'a b.1.2.sig', 'r.s.notanumber.sig', 'x'.repeat(400)]) {
      expect(tokens.verify(t, 0)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});

describe('SeatTokens for cluster seats (reserved by another node)', () => {
  let wall = 1_000_000;
  const tokens = new SeatTokens('a-secret-of-sixteen+', () => wall);
  const claim = { roomId: 'Ab-_12', seatId: 'c-1796-3', expiresAt: 1_030_000, name: 'Zoë 🎯' };

  it('carries the player name and expires on the wall clock, whatever the local clock says', () => {
    const token = tokens.sign(claim);
    expect(token.split('.')).toHaveLength(5);
    expect(tokens.verify(token, 99e9)).toEqual({ ok: true, claim });
    wall = 1_030_001;
    expect(tokens.verify(token, 0)).toMatchObject({ ok: false, reason: 'expired' });
    wall = 1_000_000;
  });

  it('refuses a changed name or one signed elsewhere', () => {
    const token = tokens.sign(claim);
    const parts = token.split('.');
    parts[3] = Buffer.from('Mallory').toString('base64url');
    expect(tokens.verify(parts.join('.'), 0)).toMatchObject({ ok: false, reason: 'forged' });
    expect(tokens.verify(new SeatTokens('another-secret-xyz').sign(claim), 0)).toMatchObject({ ok: false, reason: 'forged' });
  });
});
