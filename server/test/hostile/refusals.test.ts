/**
 * Every refusal the docs promise is the one a client gets (issue 12 points 6 and 8): /metrics
 * behind a token or loopback, and cheap; tokens too long or repeated closed 4001 after the upgrade;
 * bodies taken exactly as the schema says; names without invisible or reordering characters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, HttpErrorStatus } from '@tickforge/shared';
import { buildApp, loadConfig } from '@tickforge/server';
import { closeOf, startServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ matchmakeRateLimit: 30 });
});
afterAll(() => server.close());

const post = (payload: unknown, headers: Record<string, string> = {}) => server.app.inject({ method: 'POST', url: '/api/matchmake', payload: payload as object, headers });

describe('/metrics', () => {
  it('answers loopback peers without a proxy header, 401 TF_ERR_METRICS_UNAUTHORIZED otherwise', async () => {
    expect((await server.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    const far = await server.app.inject({ url: '/metrics', remoteAddress: '203.0.113.5' });
    expect(far.statusCode).toBe(401);
    expect(far.json().code).toBe('TF_ERR_METRICS_UNAUTHORIZED');
    expect((await server.app.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.5' } })).statusCode).toBe(401);
  });

  it('with METRICS_TOKEN answers only its Bearer token, from anywhere', async () => {
    const app = await buildApp({ config: loadConfig({ METRICS_TOKEN: 'a-long-metrics-token' }, { logLevel: 'silent', clientDir: '/nonexistent' }) });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-of-len' } })).statusCode).toBe(401);
    const ok = await app.inject({ url: '/metrics', remoteAddress: '203.0.113.5', headers: { authorization: 'Bearer a-long-metrics-token' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/tickforge_rooms_ticking/);
    await app.close();
  });

  it('costs a copy per scrape: a flood is served the last text, computed at most 5 times a second', async () => {
    const { registry } = server.app.metrics;
    const n = 200;
    let t = performance.now();
    for (let i = 0; i < n; i++) await registry.metrics();
    const computed = (performance.now() - t) / n;
    t = performance.now();
    for (let i = 0; i < n; i++) await server.app.inject({ url: '/metrics' });
    const scraped = (performance.now() - t) / n;
    console.log(`/metrics: computing the text ${computed.toFixed(3)} ms; a cached scrape (inject, all of it) ${scraped.toFixed(3)} ms`);
    // The loop above spent the fresh budget: scrapes that follow at once serve the same text.
    const [a, b] = [await server.app.inject({ url: '/metrics' }), await server.app.inject({ url: '/metrics' })];
    expect(a.body).toBe(b.body);
  });
});

describe('tokens are refused after the upgrade, with the documented 4001', () => {
  it.each([
    ['a seat token over 300 characters', `token=${'a'.repeat(301)}`, 'seat token malformed: over 300 characters'],
    ['?token= given twice', 'token=a&token=b', 'seat token given more than once (?token= twice)'],
    ['a reconnect token over 300 characters', `reconnect=${'a'.repeat(301)}`, 'reconnect token malformed: over 300 characters'],
    ['?reconnect= given twice', 'reconnect=a&reconnect=b', 'reconnect token given more than once (?reconnect= twice)'],
  ])('%s', async (_what, query, reason) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?${query}`);
    expect(await closeOf(ws)).toEqual({ code: CloseCode.SEAT_INVALID, reason });
  });

  it('a plain GET /ws answers 426 TF_ERR_NOT_AN_UPGRADE', async () => {
    const res = await server.app.inject({ url: '/ws' });
    expect(res.statusCode).toBe(426);
    expect(res.json().code).toBe('TF_ERR_NOT_AN_UPGRADE');
  });
});

describe('the matchmaking body is taken as the schema says', () => {
  it.each([
    ['an unknown field', { mode: 'koth', admin: true }],
    ['a number for the mode', { mode: 123 }],
    ['a string for create', { mode: 'arena', create: 'true' }],
    ['a C1 control in the name', { mode: 'arena', name: 'a\u0085b' }],
    ['a bidi override in the name', { mode: 'arena', name: 'evil\u202egnp' }],
    ['a bidi isolate in the name', { mode: 'arena', name: 'a\u2066b' }],
    ['a zero-width space in the name', { mode: 'arena', name: 'ad\u200bmin' }],
    ['a BOM in the name', { mode: 'arena', name: '\ufeffadmin' }],
    ['a lone surrogate in the name', { mode: 'arena', name: 'a\ud800' }],
  ])('%s → 400 FST_ERR_VALIDATION', async (_what, body) => {
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('FST_ERR_VALIDATION');
  });

  it('names of any script and emoji are fine', async () => {
    expect((await post({ mode: 'arena', name: 'Zoë 😀 日本' })).statusCode).toBe(200);
  });

  it('413, 415 and unknown paths answer a documented code', async () => {
    const big = await post(JSON.stringify({ mode: 'arena', name: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' });
    const media = await post('mode=arena', { 'content-type': 'application/x-www-form-urlencoded' });
    const lost = await server.app.inject({ url: '/nonexistent' });
    for (const [res, status] of [
      [big, 413],
      [media, 415],
      [lost, 404],
    ] as const) {
      expect(res.statusCode).toBe(status);
      expect(HttpErrorStatus[res.json().code as keyof typeof HttpErrorStatus]).toBe(status);
    }
  });
});
