/**
 * The small pieces of the hardening, byte-exact: seat and reconnect tokens (signed, neither passes
 * for the other), the origin allowlist's decisions, and the new configuration variables.
 */
import { describe, expect, it } from 'vitest';
import { ServerMessage, decodeServerMessage, encodeWelcome } from '@tickforge/shared';
import { ConfigError, SeatTokens, loadConfig } from '@tickforge/server';
import { OriginPolicy } from '../../src/origin-policy';
import { HeldPlayers } from '../../src/room/held-players';

describe('seat and reconnect tokens', () => {
  const tokens = new SeatTokens('a-secret-of-sixteen+');

  it('a reconnect token verifies to its claim, and tampering or another secret makes it forged', () => {
    const t = tokens.signReconnect({ roomId: 'r00m', playerId: 7, generation: 2 });
    expect(tokens.verifyReconnect(t)).toEqual({ ok: true, claim: { roomId: 'r00m', playerId: 7, generation: 2 } });
    expect(tokens.verifyReconnect(t.replace('.7.', '.8.'))).toEqual({ ok: false, reason: 'forged' });
    expect(tokens.verifyReconnect(t.replace('.2.', '.3.'))).toEqual({ ok: false, reason: 'forged' });
    expect(new SeatTokens('another-secret-16chars').verifyReconnect(t)).toEqual({ ok: false, reason: 'forged' });
    expect(tokens.verifyReconnect('r00m.x.2.abc')).toMatchObject({ ok: false });
    expect(tokens.verifyReconnect('a.b')).toEqual({ ok: false, reason: 'malformed' });
    expect(tokens.verifyReconnect('x'.repeat(400))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('neither kind passes for the other', () => {
    const seat = tokens.sign({ roomId: 'r00m', seatId: '7', expiresAt: 9_999_999 });
    const reconnect = tokens.signReconnect({ roomId: 'r00m', playerId: 7, generation: 9_999_999 });
    expect(tokens.verify(seat, 0).ok).toBe(true);
    expect(tokens.verifyReconnect(seat)).toEqual({ ok: false, reason: 'forged' });
    expect(tokens.verify(reconnect, 0)).toEqual({ ok: false, reason: 'forged' });
  });

  it('a seat token still expires', () => {
    const seat = tokens.sign({ roomId: 'r00m', seatId: '1', expiresAt: 1000 });
    expect(tokens.verify(seat, 1001)).toMatchObject({ ok: false, reason: 'expired' });
  });
});

describe('the reconnect token in WELCOME', () => {
  const welcome = { playerId: 3, tickRate: 30, tick: 9, serverTime: 1.5, mode: 'arena', roomId: 'r00m', state: Uint8Array.of(7, 8, 9) };

  it('travels as a str8 after the room id, before the state', () => {
    const token = new SeatTokens('a-secret-of-sixteen+').signReconnect({ roomId: 'r00m', playerId: 3, generation: 0 });
    const bytes = encodeWelcome({ ...welcome, reconnectToken: token });
    const at = 1 + 1 + 2 + 1 + 4 + 8 + 1 + 'arena'.length + 1 + 'r00m'.length;
    expect(bytes[at]).toBe(token.length);
    expect(Buffer.from(bytes.subarray(at + 1, at + 1 + token.length)).toString()).toBe(token);
    expect([...bytes.subarray(at + 1 + token.length)]).toEqual([7, 8, 9]);
    expect(decodeServerMessage(bytes)).toMatchObject({ type: ServerMessage.WELCOME, reconnectToken: token, state: Uint8Array.of(7, 8, 9) });
  });

  it('is absent when the server offers no reconnection (an empty str8)', () => {
    const decoded = decodeServerMessage(encodeWelcome(welcome));
    expect(decoded).not.toHaveProperty('reconnectToken');
    expect(decoded).toMatchObject({ roomId: 'r00m', state: Uint8Array.of(7, 8, 9) });
  });

  it('fits however long the room id and token are (the writer grows its buffer)', () => {
    const long = 'x'.repeat(255);
    expect(decodeServerMessage(encodeWelcome({ ...welcome, roomId: long, reconnectToken: long }))).toMatchObject({ roomId: long, reconnectToken: long });
  });
});

describe('held players', () => {
  it('holds for the grace, releases on return, expires after', () => {
    const held = new HeldPlayers(20_000);
    const alice = { id: 1, name: 'alice' };
    const bob = { id: 2, name: 'bob' };
    expect(held.hold(alice, 0, 1000)).toBe(true);
    expect(held.hold(bob, 3, 5000)).toBe(true);
    const out: Array<{ id: number; name: string }> = [];
    held.expire(20_999, out);
    expect(out).toEqual([]);
    held.expire(21_000, out);
    expect(out).toEqual([alice]);
    expect(held.get(2)).toMatchObject({ generation: 3, until: 25_000 });
    held.release(2);
    expect(held.size).toBe(0);
    expect(new HeldPlayers(0).hold(alice, 0, 0)).toBe(false);
  });
});

describe('origin policy', () => {
  const policy = new OriginPolicy(['https://game.example', 'http://localhost:5173']);
  it.each<[string | undefined, string, boolean, string]>([
    [undefined, 'srv:3000', true, 'no Origin: a non-browser client'],
    ['https://game.example', 'srv:3000', true, 'listed'],
    ['https://GAME.example', 'srv:3000', true, 'listed, other case'],
    ['http://localhost:5173', 'srv:3000', true, 'listed with a port'],
    ['http://localhost:5174', 'srv:3000', false, 'another port'],
    ['http://game.example', 'srv:3000', false, 'another scheme'],
    ['https://evil.example', 'srv:3000', false, 'not listed'],
    ['https://srv:3000', 'srv:3000', true, 'the server itself'],
    ['null', 'srv:3000', false, 'an opaque origin'],
    ['garbage', 'srv:3000', false, 'not a URL'],
  ])('%s from host %s → %s (%s)', (origin, host, allowed) => {
    expect(policy.allows(origin, host)).toBe(allowed);
  });
  it('allows everything without a list', () => {
    expect(new OriginPolicy(undefined).allows('https://evil.example', 'srv')).toBe(true);
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ reconnectGraceSeconds: 20, matchmakeRateLimit: 30, matchmakeRateWindowSeconds: 10, allowedOrigins: undefined, trustProxy: false });
  });

  it('reads the new variables', () => {
    const c = loadConfig({
      RECONNECT_GRACE_SECONDS: '0',
      MATCHMAKE_RATE_LIMIT: '0',
      MATCHMAKE_RATE_WINDOW_SECONDS: '60',
      ALLOWED_ORIGINS: ' https://game.example , http://localhost:5173/ ',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
    });
    expect(c).toMatchObject({
      reconnectGraceSeconds: 0,
      matchmakeRateLimit: 0,
      matchmakeRateWindowSeconds: 60,
      allowedOrigins: ['https://game.example', 'http://localhost:5173'],
      trustProxy: '10.0.0.0/8,127.0.0.1',
    });
    expect(loadConfig({ ALLOWED_ORIGINS: '*', TRUST_PROXY: 'true' })).toMatchObject({ allowedOrigins: undefined, trustProxy: true });
  });

  it('lists every bad value at once', () => {
    let problems: string[] = [];
    try {
      loadConfig({ RECONNECT_GRACE_SECONDS: '-1', MATCHMAKE_RATE_LIMIT: 'lots', ALLOWED_ORIGINS: 'game.example,https://ok.example/path' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toHaveLength(4);
    for (const named of [/RECONNECT_GRACE_SECONDS/, /MATCHMAKE_RATE_LIMIT/, /"game\.example"/, /ok\.example\/path/]) {
      expect(
        problems.some((p) => named.test(p)),
        String(named),
      ).toBe(true);
    }
  });
});
