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
