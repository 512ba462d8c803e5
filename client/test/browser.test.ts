/**
 * The real built client in Debian's Chromium (driven by playwright-core) against the real server:
 * two players in one room see each other move and chat; with simulated latency the own player
 * still moves on the first frame after the key press; the lobby explains a full room, a dropped
 * connection (with a working Rejoin) and a server that is gone; in a cluster, a page served by one
 * node plays in a room on another, and resumes there after a drop.
 *
 * Screenshots and the HUD figures go to test-artifacts/ (gitignored) for people to look at.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, loadConfig } from '@tickforge/server';
import { freePort, startRedis } from '../../server/src/cluster/local-redis';
import type { TestHook } from '../src/test-hook';

const clientRoot = fileURLToPath(new URL('..', import.meta.url));
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let distDir: string;
let browser: Browser;
const apps: FastifyInstance[] = [];

async function startServer(seed: number): Promise<{ app: FastifyInstance; base: string }> {
  const config = loadConfig({}, { host: '127.0.0.1', port: 0, clientDir: distDir, logLevel: 'silent' });
  const app = await buildApp({ config, seed });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  return { app, base: address + '/' };
}

interface Player {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
}

async function openPage(url: string): Promise<Player> {
  // One context per player: headless Chromium only animates the front page of a context.
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

async function quickPlay(url: string, name: string, mode = 'arena'): Promise<Player> {
  const p = await openPage(url);
  await p.page.fill('[data-testid=name]', name);
  await p.page.click(`[data-testid=quick-${mode}]`);
  await p.page.waitForFunction(() => window.__tickforge.phase === 'playing', null, { timeout: 15_000 });
  return p;
}

/** Runs `f` on the page's test hook (window.__tickforge). */
const hook = <T>(page: Page, f: (h: TestHook) => T): Promise<T> => page.evaluate(`(${f.toString()})(window.__tickforge)`) as Promise<T>;

type Box = { x: number; y: number; width: number; height: number };
const boxOf = async (page: Page, selector: string): Promise<Box> => (await page.locator(selector).first().boundingBox())!;
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Where `page` draws the player called `name`. */
async function drawn(page: Page, name: string): Promise<{ x: number; y: number }> {
  const players = await page.evaluate(() => window.__tickforge.players());
  const p = players.find((q) => q.name === name);
  if (!p) throw new Error(`${name} is not drawn; drawn: ${players.map((q) => q.name).join(', ')}`);
  return { x: p.x, y: p.y };
}

/**
 * Holds D (A when the player is in the right half of the world) for `ms`, waits `settleMs`, and
 * returns how far `page` saw the player move along x.
 */
async function walkSideways(page: Page, name: string, worldWidth: number, ms: number, settleMs: number): Promise<number> {
  const before = await drawn(page, name);
  const key = before.x < worldWidth / 2 ? 'KeyD' : 'KeyA';
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
  await page.waitForTimeout(settleMs);
  return Math.abs((await drawn(page, name)).x - before.x);
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  distDir = mkdtempSync(join(tmpdir(), 'tickforge-client-'));
  await build({ root: clientRoot, configFile: join(clientRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  for (const app of apps) await app.close().catch(() => {}); // some were closed by their test
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

describe('browser client', () => {
  it('two players in one room: movement is seen by the other, chat arrives, a dropped player rejoins', async () => {
    const { app, base } = await startServer(14); // seed 14: alice and bob spawn in view of each other
    const alice = await quickPlay(base + '?hud=1', 'alice');
    const bob = await quickPlay(base, 'bob');
    const roomId = await hook(alice.page, (h) => h.roomId);
    expect(await hook(bob.page, (h) => h.roomId)).toBe(roomId);
    await bob.page.waitForFunction(() => window.__tickforge.players().length === 2);
    await alice.page.waitForFunction(() => window.__tickforge.players().length === 2);

    const before = await drawn(bob.page, 'alice');
    expect(before.x).toBeLessThan(1700); // room seed 14 spawns alice with room to move right
    await alice.page.mouse.move(1000, 360);
    const pressedAt = Date.now();
    await alice.page.keyboard.down('KeyD');
    await bob.page.waitForTimeout(600);
    await bob.page.screenshot({ path: join(artifacts, 'bob-sees-alice-moving.png') });
    await bob.page.waitForTimeout(Math.max(0, 1000 - (Date.now() - pressedAt)));
    await alice.page.keyboard.up('KeyD');
    const heldSeconds = (Date.now() - pressedAt) / 1000;
    // Once bob's view is past its interpolation delay, both draw alice at the same spot.
    let after = await drawn(bob.page, 'alice');
    let own = await drawn(alice.page, 'alice');
    for (let i = 0; i < 30 && Math.abs(own.x - after.x) >= 0.5; i++) {
      await bob.page.waitForTimeout(100);
      after = await drawn(bob.page, 'alice');
      own = await drawn(alice.page, 'alice');
    }
    expect(Math.abs(own.x - after.x)).toBeLessThan(0.5);
    // 200 units/s for as long as D was held (a second, more if the screenshot was slow).
    expect(after.x - before.x).toBeGreaterThan(120);
    expect(after.x - before.x).toBeLessThan(200 * heldSeconds + 40);
    expect(Math.abs(after.y - before.y)).toBeLessThan(1);
    await alice.page.screenshot({ path: join(artifacts, 'alice-with-hud.png') });

    // Alice shoots bob (who stands still) until he is eliminated: 10 hits of 10 hp, 4 shots a second.
    const target = await drawn(alice.page, 'bob');
    const aimAt = (await alice.page.evaluate(`window.__tickforge.screenOf(${target.x}, ${target.y})`)) as { x: number; y: number };
    await alice.page.mouse.move(aimAt.x, aimAt.y);
    await alice.page.mouse.down();
    await bob.page.waitForTimeout(1200);
    await bob.page.screenshot({ path: join(artifacts, 'bob-under-fire.png') });
    // The victim is told who killed him and held on the spot of death for a moment; the killer
    // sees the kill confirmed where bob was drawn.
    await bob.page.waitForFunction(() => window.__tickforge.moments().includes('alice eliminated you'), null, { timeout: 10_000 });
    const diedAt = await bob.page.evaluate(() => performance.now());
    await bob.page.screenshot({ path: join(artifacts, 'death-victim.png') });
    expect(await bob.page.locator('[data-testid=death-banner]').innerText()).toMatch(/alice eliminated you\s+Respawning/);
    await alice.page.mouse.up();
    await alice.page.waitForFunction(() => window.__tickforge.moments().includes('You eliminated bob'), null, { timeout: 5_000 });
    await alice.page.screenshot({ path: join(artifacts, 'death-killer.png') });
    await alice.page.waitForFunction(() => window.__tickforge.feed().some((f) => f === 'alice eliminated bob'), null, { timeout: 5_000 });
    await bob.page.waitForFunction(() => window.__tickforge.feed().some((f) => f === 'alice eliminated bob'), null, { timeout: 5_000 });
    await alice.page.waitForFunction(() => /^alice\s*1$/.test(document.querySelector('[data-testid=scoreboard] li.self')?.textContent ?? ''));
    // Bob's camera did not jump to the respawn spot: it held on the spot of death, then glided.
    await bob.page.waitForTimeout(1800);
    await bob.page.screenshot({ path: join(artifacts, 'bob-respawned.png') });
    const moment = (await hook(bob.page, (h) => h.frames)).filter((f) => f.t >= diedAt);
    const travel = Math.hypot(moment.at(-1)!.x - moment[0]!.x, moment.at(-1)!.y - moment[0]!.y);
    let longestStep = 0;
    for (let i = 1; i < moment.length; i++) longestStep = Math.max(longestStep, Math.hypot(moment[i]!.x - moment[i - 1]!.x, moment[i]!.y - moment[i - 1]!.y));
    expect(travel).toBeGreaterThan(100); // respawned elsewhere (seed 14: ~500 units away)
    expect(longestStep).toBeLessThan(travel * 0.5);
    const held = moment.filter((f) => f.t < diedAt + 700);
    expect(held.length).toBeGreaterThan(3);
    expect(held.every((f) => Math.hypot(f.x - moment[0]!.x, f.y - moment[0]!.y) < 1)).toBe(true);
    expect(await bob.page.locator('[data-testid=death-banner]').count()).toBe(0);

    await bob.page.keyboard.press('Enter');
    await bob.page.keyboard.type('gg, nice <b>move</b>');
    await bob.page.keyboard.press('Enter');
    await alice.page.waitForFunction(() => window.__tickforge.chat().some((l) => l.name === 'bob' && l.text === 'gg, nice <b>move</b>'));
    // Shown as text, never as HTML.
    expect(await alice.page.locator('[data-testid=chat-log]').innerText()).toContain('bob: gg, nice <b>move</b>');

    const figures = await hook(alice.page, (h) => h.figures());
    writeFileSync(join(artifacts, 'hud-0ms.json'), JSON.stringify(figures, null, 2));
    expect(figures!.patchesPerSecond).toBeGreaterThan(20);
    expect(figures!.corrections).toBeLessThanOrEqual(2);

    // The server drops bob: he is told, offered a rejoin, and is back in the same room.
    const room = app.rooms.get(roomId)!;
    for (const c of room.connectedClients) if (c.player.name === 'bob') c.sink.close(1011, 'test drop');
    await bob.page.waitForSelector('[data-testid=overlay]');
    expect(await bob.page.locator('[data-testid=overlay]').innerText()).toContain('Connection lost');
    await bob.page.click('[data-testid=overlay] button.primary');
    await bob.page.waitForFunction(() => window.__tickforge.phase === 'playing');
    expect(await hook(bob.page, (h) => h.roomId)).toBe(roomId);
    await bob.page.waitForFunction(() => window.__tickforge.players().length === 2);

    // Now bob's network drops (no close handshake: the server sees 1006 and holds his seat). Rejoin
    // resumes with the reconnect token of his welcome: the same player, not a new one.
    const bobId = await hook(bob.page, (h) => h.playerId);
    const sockets = [...app.websocketServer.clients];
    expect(sockets.length).toBe(2);
    // The client reconnects by itself, and says what it is doing meanwhile.
    sockets[1]!.terminate(); // bob's: sockets are kept in connection order, and bob reconnected last
    await bob.page.waitForFunction(() => window.__tickforge.reconnect.length > 0);
    await bob.page.waitForFunction(() => window.__tickforge.phase === 'playing');
    expect(await hook(bob.page, (h) => h.reconnect)).toEqual(['Attempt 1 of 5: reconnecting to your seat…']);
    expect(await bob.page.locator('[data-testid=overlay]').count()).toBe(0);
    expect(await hook(bob.page, (h) => h.playerId)).toBe(bobId);
    await bob.page.waitForFunction(() => window.__tickforge.players().length === 2);

    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
    await alice.page.context().close();
    await bob.page.context().close();
  }, 60_000);

  it('in a cluster, a page served by node A plays in a room on node B, and reconnecting after a drop goes back to B', async () => {
    const redis = await startRedis();
    try {
      // Two nodes on one Redis; ALLOWED_ORIGINS names neither, so B admits A's page only as a node of its cluster.
      const node = async (id: string) => {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        const config = loadConfig(
          {},
          {
            host: '127.0.0.1',
            port,
            clientDir: distDir,
            logLevel: 'silent',
            redisUrl: redis.url,
            redisPrefix: 'tf',
            nodeId: id,
            publicUrl: base,
            seatSecret: 'browser-cluster-secret-0123',
            allowedOrigins: ['https://game.example.com'],
            matchmakeRateLimit: 0,
            drainTimeoutSeconds: 0,
          },
        );
        const app = await buildApp({ config });
        await app.listen({ host: '127.0.0.1', port });
        apps.push(app);
        return { app, base };
      };
      // Placement breaks ties by node id: the first room goes to "node-1", B.
      const b = await node('node-1');
      const a = await node('node-2');
      for (let i = 0; i < 100 && (await (await fetch(`${a.base}/health`)).json()).cluster.nodes.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      const carol = await quickPlay(a.base + '/', 'carol');
      const roomId = await hook(carol.page, (h) => h.roomId);
      expect(b.app.rooms.get(roomId)).toBeDefined();
      expect(a.app.rooms.size).toBe(0);
      await carol.page.waitForFunction(() => window.__tickforge.players().length === 1);
      // Her network drops (no close handshake): the client reconnects by itself, as the same player,
      // on B (where the room lives), not on A (where the page came from).
      const id = await hook(carol.page, (h) => h.playerId);
      for (const ws of b.app.websocketServer.clients) ws.terminate();
      await carol.page.waitForFunction(() => window.__tickforge.reconnect.length > 0);
      await carol.page.waitForFunction(() => window.__tickforge.phase === 'playing');
      expect(await hook(carol.page, (h) => h.reconnect)).toEqual(['Attempt 1 of 5: reconnecting to your seat…']);
      expect(b.app.rooms.get(roomId)!.playerCount).toBe(1);
      expect(await hook(carol.page, (h) => h.playerId)).toBe(id);
      expect(await hook(carol.page, (h) => h.roomId)).toBe(roomId);
      expect(carol.errors).toEqual([]);
      await carol.page.context().close();
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it('with ?lag=150&jitter=30 the own player moves on the first frame after the key press', async () => {
    const { base } = await startServer(2);
    const carol = await quickPlay(base + '?lag=150&jitter=30&hud=1', 'carol');
    await carol.page.waitForTimeout(1500); // clock sync and a full delay window
    const walked = await walkSideways(carol.page, 'carol', 2000, 1000, 800);
    const { frames, keyAt, figures } = await hook(carol.page, (h) => ({ frames: h.frames, keyAt: h.lastMoveKeyAt, figures: h.figures() }));
    const first = frames.findIndex((f) => f.t > keyAt);
    expect(first).toBeGreaterThan(0);
    const moved = Math.abs(frames[first]!.x - frames[first - 1]!.x);
    expect(moved).toBeGreaterThan(0.01);
    // The round trip is ~150 ms or more: without prediction nothing could move for ~5 frames.
    expect(figures!.pingMs).toBeGreaterThan(140);
    expect(figures!.corrections).toBeLessThanOrEqual(3);
    expect(walked).toBeGreaterThan(120);
    writeFileSync(join(artifacts, 'hud-150ms.json'), JSON.stringify({ ...figures, firstFrameMovedBy: moved }, null, 2));
    await carol.page.screenshot({ path: join(artifacts, 'lag-150-hud.png') });
    expect(carol.errors).toEqual([]);
    await carol.page.context().close();
  }, 60_000);

  it('with ?spike= it says the connection is interrupted while patches stop, and the view is steady again within 2 s', async () => {
    const { base } = await startServer(5);
    // Stalls come at exponential intervals (mean 6 s): the search below needs one with a clean 1.6 s
    // before and 2.1 s after it, which at a 6 s mean fails to appear in 45 s about once in 150 runs
    // (at 4 s and 30 s it was about once in 12).
    const gus = await quickPlay(base + '?spike=1000&spikeEvery=6&hud=1', 'gus');
    // The page samples its own figures every 50 ms.
    await gus.page.evaluate(() => {
      const w = window as unknown as { samples: Array<{ t: number; d: number; target: number; silent: number }> };
      w.samples = [];
      setInterval(() => {
        const f = window.__tickforge.figures();
        if (f) w.samples.push({ t: performance.now(), d: f.viewDelayMs, target: f.viewDelayTargetMs, silent: f.silentMs });
      }, 50);
    });
    // The first stall: none in 20 s happens about once in 28 runs at this mean (it failed a CI run
    // so), none in 40 s about once in 790.
    await gus.page.waitForSelector('[data-testid=connection-interrupted]:not([hidden])', { timeout: 40_000 });
    await gus.page.screenshot({ path: join(artifacts, 'connection-interrupted.png') });
    expect(await gus.page.locator('[data-testid=connection-interrupted]').innerText()).toMatch(/Connection interrupted/);
    // An interruption with a quiet second before it and 2 s without another after it.
    type Sample = { t: number; d: number; target: number; silent: number };
    let found: { targetBefore: number; targetPeak: number; after: number; targetAfter: number; peak: number; shownMs: number } | undefined;
    for (let waited = 0; !found && waited < 45_000; waited += 500) {
      await gus.page.waitForTimeout(500);
      const { spans, samples } = (await gus.page.evaluate(() => ({
        spans: window.__tickforge.interruptions(),
        samples: (window as unknown as { samples: Sample[] }).samples,
      }))) as { spans: Array<{ from: number; to?: number }>; samples: Sample[] };
      for (const span of spans) {
        if (span.to === undefined) continue;
        const before = samples.filter((x) => x.t > span.from - 1600 && x.t < span.from - 600);
        const after = samples.filter((x) => x.t > span.to! && x.t < span.to! + 2100);
        // (No sample after it yet: the interruption has only just ended, look again later.)
        if (before.length < 10 || before.some((x) => x.silent > 150) || after.length === 0 || after.at(-1)!.t < span.to! + 2000) continue;
        if (after.some((x) => x.silent > 150)) continue; // another stall began
        found = {
          targetBefore: before.at(-1)!.target,
          targetPeak: Math.max(...after.map((x) => x.target)),
          after: after.at(-1)!.d,
          targetAfter: after.at(-1)!.target,
          peak: Math.max(...after.map((x) => x.d)),
          shownMs: span.to! - span.from,
        };
      }
    }
    expect(found).toBeDefined();
    writeFileSync(join(artifacts, 'spike-recovery.json'), JSON.stringify(found, null, 2));
    expect(found!.shownMs).toBeGreaterThan(200); // shown from 0.5 s into the 1 s stall until it ended
    expect(found!.shownMs).toBeLessThan(900);
    expect(found!.peak).toBeGreaterThan(found!.targetBefore + 300); // the view held through the stall...
    // ...and is back on target 2 s after: within 10 ms on a quiet machine; a loaded one delays the
    // page's frames and the last few ms of the catch-up (31 and 56 ms off were seen at load ~4).
    expect(Math.abs(found!.after - found!.targetAfter)).toBeLessThan(60);
    // The burst of patches that waited out the stall (transits up to 1 s) was not taken for jitter:
    // counted, it would have put the target near 1 s. (This machine's own hitches move it by tens of ms.)
    expect(found!.targetPeak).toBeLessThan(found!.targetBefore + 150);
    const figures = await hook(gus.page, (h) => h.figures());
    expect(figures!.stalls).toBeGreaterThanOrEqual(1);
    expect(gus.errors).toEqual([]);
    await gus.page.context().close();
  }, 120_000);

  it('plays bigworld on motion segments: the own player walks, and standing is drawn where the server has it', async () => {
    const { app, base } = await startServer(5);
    const ann = await quickPlay(base, 'ann', 'bigworld');
    expect(await hook(ann.page, (h) => h.mode)).toBe('bigworld');
    expect(await walkSideways(ann.page, 'ann', 8000, 500, 600)).toBeGreaterThan(50); // 200 units/s
    const roomId = await hook(ann.page, (h) => h.roomId);
    const server = (app.rooms.get(roomId)!.state as unknown as { players: Map<string, { name: string; x: number; y: number }> }).players;
    const truth = [...server.values()].find((p) => p.name === 'ann')!;
    const self = await drawn(ann.page, 'ann');
    expect(Math.abs(self.x - truth.x)).toBeLessThan(0.5);
    expect(Math.abs(self.y - truth.y)).toBeLessThan(0.5);
    expect(ann.errors).toEqual([]);
    await ann.page.context().close();
  }, 30_000);

  it('plays king of the hill with its own renderer, and any mode with the generic one', async () => {
    const { base } = await startServer(4);
    const erin = await quickPlay(base + '?hud=1', 'erin', 'koth');
    expect(await hook(erin.page, (h) => h.mode)).toBe('koth');
    expect(await walkSideways(erin.page, 'erin', 1200, 500, 300)).toBeGreaterThan(60); // 240 units/s
    // The view follows the window: a smaller window, the same player in its middle.
    await erin.page.setViewportSize({ width: 900, height: 600 });
    await erin.page.waitForFunction(() => document.querySelector('canvas')?.clientWidth === 900);
    await erin.page.waitForTimeout(100);
    const self = await drawn(erin.page, 'erin');
    const onScreen = (await erin.page.evaluate(`window.__tickforge.screenOf(${self.x}, ${self.y})`)) as { x: number; y: number };
    expect(Math.abs(onScreen.x - 450)).toBeLessThan(2);
    expect(Math.abs(onScreen.y - 300)).toBeLessThan(2);
    await erin.page.keyboard.press('Space'); // a push: its shockwave shows at once
    await erin.page.waitForTimeout(100);
    await erin.page.screenshot({ path: join(artifacts, 'koth.png') });
    // The round status sits on a panel of its own, clear of the scoreboard and the top bar.
    const status = await boxOf(erin.page, '[data-testid=koth-status]');
    expect(await erin.page.locator('[data-testid=koth-status]').innerText()).toMatch(/Round 1/);
    expect(await erin.page.locator('[data-testid=koth-status]').evaluate((e) => getComputedStyle(e).backgroundColor)).not.toMatch(/rgba\(0, 0, 0, 0\)|transparent/);
    expect(overlaps(status, await boxOf(erin.page, '[data-testid=scoreboard]'))).toBe(false);
    expect(overlaps(status, await boxOf(erin.page, '.topbar'))).toBe(false);

    // Chat: the box stops at 200 characters; a refusal repeated is one notice, clear of the hint.
    await erin.page.keyboard.press('Enter');
    await erin.page.fill('[data-testid=chat-input]', 'x'.repeat(400));
    expect(await erin.page.inputValue('[data-testid=chat-input]')).toHaveLength(200);
    await erin.page.keyboard.press('Escape');
    for (let i = 0; i < 10; i++) {
      await erin.page.keyboard.press('Enter');
      await erin.page.keyboard.type(`hi ${i}`);
      await erin.page.keyboard.press('Enter');
    }
    await erin.page.keyboard.press('Escape');
    const notices = await erin.page.locator('.chat-line.notice').allInnerTexts();
    expect(notices.filter((n) => n.startsWith('Slow down'))).toHaveLength(1);
    expect(notices.filter((n) => n.includes('at most 200'))).toHaveLength(1);
    const hint = await boxOf(erin.page, '[data-testid=controls-hint] span');
    for (const n of await erin.page.locator('.chat-line').all()) expect(overlaps((await n.boundingBox())!, hint)).toBe(false);
    await erin.page.screenshot({ path: join(artifacts, 'chat-notice-and-hint.png') });

    // A hidden tab releases the held keys: the player stops though D is still down.
    await erin.page.keyboard.down('KeyD');
    await erin.page.waitForTimeout(300);
    await erin.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await erin.page.waitForTimeout(200);
    const hiddenAt = await drawn(erin.page, 'erin');
    await erin.page.waitForTimeout(400);
    expect(Math.abs((await drawn(erin.page, 'erin')).x - hiddenAt.x)).toBeLessThan(2); // walking: ~96
    await erin.page.keyboard.up('KeyD');
    expect(erin.errors).toEqual([]);

    // The generic renderer draws any mode with a players map; moving works through dx/dy by name.
    const frank = await quickPlay(base + '?draw=generic', 'frank');
    expect(await walkSideways(frank.page, 'frank', 2000, 500, 500)).toBeGreaterThan(50);
    await frank.page.screenshot({ path: join(artifacts, 'generic-renderer.png') });
    expect(frank.errors).toEqual([]);
    await erin.page.context().close();
    await frank.page.context().close();
  }, 60_000);

  it('explains a full room, and a server that went away', async () => {
    const { app, base } = await startServer(3);
    // Fill a room with reservations (as 16 other players matchmaking would).
    const seats = [];
    for (let i = 0; i < 16; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/matchmake', payload: { mode: 'arena', name: `bot${i}` }, remoteAddress: `10.0.0.${i + 1}` });
      seats.push(res.json() as { roomId: string });
    }
    const roomId = seats[0]!.roomId;
    await app.inject({ method: 'POST', url: '/api/matchmake', payload: { mode: 'koth', name: 'bot16' } }); // a second room
    const dave = await openPage(base);
    await dave.page.waitForSelector(`[data-room="${roomId}"]`);
    await dave.page.waitForSelector('[data-room]:nth-child(2)');
    // Real seats beside "Full", and the lobby fits 1280×720 without scrolling.
    expect(await dave.page.locator(`[data-room="${roomId}"]`).innerText()).toMatch(/16 \/ 16 · 0 playing\s+Full/);
    expect(await dave.page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight && document.querySelector('.lobby')!.scrollHeight <= innerHeight)).toBe(true);
    // The modes on offer: the baseline mode (lobby: false) is not among them.
    expect(await dave.page.locator('.mode-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-mode')))).toEqual(['arena', 'bigworld', 'koth']);
    await dave.page.fill('[data-testid=name]', 'dave');
    await dave.page.click(`[data-testid="join-${roomId}"]`);
    await dave.page.waitForSelector('[data-testid=lobby-message]:not([hidden])');
    expect(await dave.page.locator('[data-testid=lobby-message]').innerText()).toMatch(/is full/);
    await dave.page.screenshot({ path: join(artifacts, 'lobby-room-full.png') });

    await dave.page.click('[data-testid=create-arena]');
    await dave.page.waitForFunction(() => window.__tickforge.phase === 'playing');
    await app.close();
    await dave.page.waitForSelector('[data-testid=overlay]');
    expect(await dave.page.locator('[data-testid=overlay]').innerText()).toMatch(/shutting down|stopped|dropped/);
    await dave.page.click('[data-testid=overlay] button.primary'); // Rejoin: the server is gone
    await dave.page.waitForFunction(() => document.querySelector('[data-testid=overlay]')?.textContent?.includes('not reachable'));
    await dave.page.click('[data-testid=overlay] button:not(.primary)'); // Back to lobby
    await dave.page.waitForFunction(() => document.querySelector('[data-testid=lobby-status]')?.textContent?.includes('not reachable'));
    await dave.page.screenshot({ path: join(artifacts, 'lobby-server-down.png') });
    // The browser logs the refused requests; nothing else may go wrong.
    expect(dave.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|409/.test(e))).toEqual([]);

    // A socket that drops without a word, from a server that no longer answers: the client
    // reconnects by itself and says so, attempt by attempt, until the player gives up.
    const second = await startServer(6);
    await dave.page.goto(second.base);
    await dave.page.click('[data-testid=quick-arena]');
    await dave.page.waitForFunction(() => window.__tickforge.phase === 'playing');
    second.app.server.close(); // no new connections (it stops listening at once)...
    second.app.server.closeAllConnections();
    for (const ws of second.app.websocketServer.clients) ws.terminate(); // ...and the open one drops
    await dave.page.waitForFunction(() => window.__tickforge.reconnect.some((l) => l.startsWith('Attempt 2 of 5 in')), null, { timeout: 10_000 });
    expect(await dave.page.locator('[data-testid=overlay-progress]').innerText()).toMatch(/^Attempt 2 of 5 in \d s \(the server did not answer\)…$/);
    await dave.page.screenshot({ path: join(artifacts, 'reconnecting.png') });
    expect(await hook(dave.page, (h) => h.reconnect[0])).toBe('Attempt 1 of 5: reconnecting to your seat…');
    await dave.page.click('[data-testid=overlay] button'); // Back to lobby
    await dave.page.waitForFunction(() => window.__tickforge.phase === 'lobby');
    await dave.page.context().close();
  }, 60_000);
});
