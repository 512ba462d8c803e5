/**
 * HTTP refusals a hostile or unlucky client meets before it ever plays: matchmaking rate limit per
 * address, rooms per process, players per room, the origin allowlist, and shutdown. Each answers
 * with a status and a JSON body whose `code` a client can branch on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, matchmake, socketUrl } from '@tickforge/shared';
import { buildApp, loadConfig, shutDown, type ServerConfig } from '@tickforge/server';
import { closeOf, join, startServer, type TestServer } from '../support/server';

const matchmakeBody = (extra: object = {}) => ({ method: 'POST' as const, url: '/api/matchmake', payload: { mode: 'arena', ...extra } });

async function injected(config: Partial<ServerConfig>) {
  const app = await buildApp({ config: loadConfig({}, { logLevel: 'silent', matchmakeRateLimit: 0, ...config }) });
  return app;
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('matchmaking rate limit per address', () => {
  it('answers 429 TF_ERR_RATE_LIMITED past the limit, per address, and leaves other routes alone', async () => {
    const app = await injected({ matchmakeRateLimit: 5, matchmakeRateWindowSeconds: 60 });
    for (let i = 0; i < 5; i++) expect((await app.inject(matchmakeBody())).statusCode).toBe(200);
    const refused = await app.inject(matchmakeBody());
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'TF_ERR_RATE_LIMITED' });
    expect(refused.json().message).toMatch(/more than 5 requests in 60 s/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address has its own budget; other routes are not limited.
    expect((await app.inject({ ...matchmakeBody(), remoteAddress: '10.0.0.7' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/modes' })).statusCode).toBe(200);
    await app.close();
  });

  it('is off with MATCHMAKE_RATE_LIMIT=0', async () => {
    const app = await injected({ matchmakeRateLimit: 0 });
    for (let i = 0; i < 40; i++) expect((await app.inject(matchmakeBody())).statusCode).toBe(200);
    await app.close();
  });
});

describe('capacity limits', () => {
  it('refuses a room beyond MAX_ROOMS with 503 TF_ERR_TOO_MANY_ROOMS', async () => {
    const app = await injected({ maxRooms: 2 });
    expect((await app.inject(matchmakeBody({ create: true }))).statusCode).toBe(200);
    expect((await app.inject(matchmakeBody({ create: true }))).statusCode).toBe(200);
    const refused = await app.inject(matchmakeBody({ create: true }));
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'TF_ERR_TOO_MANY_ROOMS' });
    expect(app.rooms.size).toBe(2);
    await app.close();
  });

  it('refuses a 17th player in an arena room with 409 TF_ERR_ROOM_FULL, and join-or-create opens another room', async () => {
    const app = await injected({ maxRooms: 2 });
    const first = (await app.inject(matchmakeBody())).json();
    for (let i = 1; i < 16; i++) expect((await app.inject(matchmakeBody({ roomId: first.roomId }))).statusCode).toBe(200);
    const full = await app.inject(matchmakeBody({ roomId: first.roomId }));
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: 'TF_ERR_ROOM_FULL' });
    expect(full.json().message).toMatch(/16 players/);
    // Join-or-create fills a second room, and with both full and MAX_ROOMS reached, says so.
    for (let i = 0; i < 16; i++) expect((await app.inject(matchmakeBody())).json().roomId).not.toBe(first.roomId);
    const none = await app.inject(matchmakeBody());
    expect(none.statusCode).toBe(503);
    expect(none.json()).toMatchObject({ code: 'TF_ERR_TOO_MANY_ROOMS' });
    await app.close();
  });
});

describe('origin allowlist', () => {
  const allowed = 'https://game.example';

  it('refuses matchmaking from another origin with 403 TF_ERR_ORIGIN_NOT_ALLOWED; allows listed, same-host and Origin-less requests', async () => {
    const app = await injected({ allowedOrigins: [allowed] });
    const from = (origin?: string, host?: string) => app.inject({ ...matchmakeBody(), headers: { ...(origin ? { origin } : {}), ...(host ? { host } : {}) } });
    const evil = await from('https://evil.example');
    expect(evil.statusCode).toBe(403);
    expect(evil.json()).toMatchObject({ code: 'TF_ERR_ORIGIN_NOT_ALLOWED' });
    expect((await from('null')).statusCode).toBe(403);
    const listed = await from(allowed);
    expect(listed.statusCode).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe(allowed);
    expect((await from('http://play.local:3000', 'play.local:3000')).statusCode).toBe(200);
    expect((await from()).statusCode).toBe(200);
    // The browser's preflight for a listed origin gets its CORS answer.
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/matchmake',
      headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
    await app.close();
  });

  it('refuses the WebSocket upgrade from another origin with 403 and the same JSON', async () => {
    server = await startServer({ allowedOrigins: [allowed] });
    const seat = await matchmake(server.base, { mode: 'arena' });
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(socketUrl(server!.base, seat), { origin: 'https://evil.example' });
      ws.on('open', () => reject(new Error('upgrade accepted')));
      ws.on('error', () => {});
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'TF_ERR_ORIGIN_NOT_ALLOWED' });
    // The seat was not taken: the same token still works from an allowed origin.
    const ws = new WebSocket(socketUrl(server.base, seat), { origin: allowed });
    const first = await new Promise<Buffer>((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(first[0]).toBe(0x01); // WELCOME
    ws.close();
  });

  it('allows every origin when ALLOWED_ORIGINS is unset', async () => {
    const app = await injected({});
    expect((await app.inject({ ...matchmakeBody(), headers: { origin: 'https://anyone.example' } })).statusCode).toBe(200);
    await app.close();
  });
});

describe('shutdown', () => {
  it('stops matchmaking with 503 TF_ERR_SHUTTING_DOWN and closes every player with 1001 and a reason', async () => {
    server = await startServer();
    const players = await Promise.all([join(server.base), join(server.base), join(server.base, { create: true })]);
    const closes = players.map((p) => closeOf(p.ws));
    const done = shutDown(server.app);
    const refused = await server.app.inject(matchmakeBody());
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'TF_ERR_SHUTTING_DOWN' });
    for (const c of await Promise.all(closes)) expect(c).toEqual({ code: CloseCode.GOING_AWAY, reason: 'server shutting down' });
    await done;
    expect(server.app.rooms.size).toBe(0);
    server = undefined;
  });

  it('app.close() alone also closes players with 1001 and a reason', async () => {
    server = await startServer();
    const p = await join(server.base);
    const closed = closeOf(p.ws);
    await server.close();
    server = undefined;
    expect(await closed).toEqual({ code: CloseCode.GOING_AWAY, reason: 'server shutting down' });
  });
});
