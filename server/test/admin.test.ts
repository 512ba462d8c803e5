/**
 * The admin API and dashboard: absent without ADMIN_TOKEN (404), 401 without the bearer token or
 * with another one, and in Chromium the dashboard lists a room with its players; disposing it
 * from the page closes every player's socket with 4014, the documented code.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CloseCode } from '@tickforge/shared';
import { closeOf, join, startServer, type TestServer } from './support/server';

const TOKEN = 'test-admin-token-0123456789';
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
let server: TestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await browser?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(server!.base + path, { headers });

describe('admin API', () => {
  it('does not exist without ADMIN_TOKEN', async () => {
    server = await startServer();
    expect((await get('/admin')).status).toBe(404);
    expect((await get('/api/admin/rooms', { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });

  it('answers 401 TF_ERR_UNAUTHORIZED without the token or with another, and the rooms with it', async () => {
    server = await startServer({ adminToken: TOKEN });
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: TOKEN }, { authorization: `Bearer ${TOKEN}x` }]) {
      const res = await get('/api/admin/rooms', headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ statusCode: 401, code: 'TF_ERR_UNAUTHORIZED' });
    }
    const a = await join(server.base, { name: 'alice' });
    const res = await get('/api/admin/rooms', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const { rooms } = (await res.json()) as { rooms: Array<Record<string, unknown>> };
    expect(rooms).toEqual([expect.objectContaining({ id: a.seat.roomId, mode: 'arena', players: 1, local: true, tickRate: 30 })]);
    const detail = await (await get(`/api/admin/rooms/${a.seat.roomId}`, { authorization: `Bearer ${TOKEN}` })).json();
    expect(detail.playerList).toEqual([expect.objectContaining({ id: a.game.playerId, name: 'alice', phase: 'playing' })]);
    expect((await get('/api/admin/rooms/nope', { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    // Kick: that player's socket closes with 4013; the room goes on.
    const closed = closeOf(a.ws);
    const kick = await fetch(`${server.base}/api/admin/rooms/${a.seat.roomId}/players/${a.game.playerId}/kick`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(kick.status).toBe(200);
    expect(await closed).toEqual({ code: CloseCode.KICKED, reason: 'kicked by an operator' });
  });
});

describe('admin dashboard in Chromium', () => {
  it('lists a room with bots; dispose closes their sockets with 4014', async () => {
    server = await startServer({ adminToken: TOKEN, heartbeatMs: 500 });
    const bots = [await join(server.base, { name: 'bot1' })];
    for (let i = 2; i <= 4; i++) bots.push(await join(server.base, { name: `bot${i}`, roomId: bots[0]!.seat.roomId }));
    const timer = setInterval(() => {
      for (const b of bots) b.game.sendInput({ dx: Math.round(Math.random() * 2) - 1, dy: 1, aim: 0, fire: Math.random() < 0.1 });
    }, 33);
    try {
      browser ??= await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
      // Without the token the page says so and shows nothing.
      await page.goto(`${server.base}/admin`);
      await page.waitForFunction(() => document.getElementById('error')!.textContent!.includes('token'));
      await page.goto(`${server.base}/admin#token=${TOKEN}`);
      await page.reload();
      const roomId = bots[0]!.seat.roomId;
      const row = page.locator(`tr[data-room-row="${roomId}"]`);
      await row.waitFor({ timeout: 5000 });
      expect(await row.locator('td').nth(2).textContent()).toBe('4/16');
      await row.click();
      await page.locator('tr[data-player]').nth(3).waitFor({ timeout: 5000 });
      // A measured ping (heartbeat every 500 ms) and a few seconds of charts before the screenshot.
      await page.waitForFunction(() => [...document.querySelectorAll('tr[data-player] td:nth-child(4)')].every((td) => td.textContent!.endsWith('ms')), undefined, {
        timeout: 5000,
      });
      await page.waitForTimeout(2500);
      await page.screenshot({ path: `${artifacts}admin-dashboard.png` });
      const closes = bots.map((b) => closeOf(b.ws));
      await row.locator('button[data-act="dispose"]').click();
      for (const c of await Promise.all(closes)) expect(c).toEqual({ code: CloseCode.ROOM_CLOSED_BY_OPERATOR, reason: 'room closed by an operator' });
      await page.waitForFunction(() => document.getElementById('rooms')!.textContent!.includes('no rooms'), undefined, { timeout: 5000 });
    } finally {
      clearInterval(timer);
    }
  }, 30_000);
});
