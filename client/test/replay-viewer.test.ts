/**
 * The time-travel viewer (replay.html, built with the client and served by the server) in
 * Chromium: it opens the committed arena recording, and scrubbing the timeline to a hashed tick
 * shows that tick: the state it draws hashes to the recorded hash, and every player is drawn where
 * the headless re-simulation (npm run replay --to) puts it. Stepping moves one tick.
 * A screenshot goes to test-artifacts/replay-viewer.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Resimulation, readRecording } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { buildApp, loadConfig } from '@tickforge/server';
import { historyFor } from '../../server/src/recording/replay-cli';

const clientRoot = fileURLToPath(new URL('..', import.meta.url));
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const fixture = fileURLToPath(new URL('../../server/test/replay/fixtures/arena-8-bots.tfrec', import.meta.url));
let distDir: string;
let browser: Browser;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  distDir = mkdtempSync(join(tmpdir(), 'tickforge-viewer-'));
  await build({ root: clientRoot, configFile: join(clientRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  app = await buildApp({ config: loadConfig({}, { host: '127.0.0.1', port: 0, clientDir: distDir, logLevel: 'silent' }) });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

describe('replay viewer', () => {
  it('scrubs to a hashed tick and draws the recorded state there', async () => {
    const rec = readRecording(readFileSync(fixture), () => arena.input.bytes);
    const tick = [...rec.hashes.keys()][20]!;
    const sim = new Resimulation(arena as never, rec, { history: historyFor(rec.header) });
    while (sim.tick < tick) sim.step();
    const expected = [...(sim.state as unknown as { players: Map<string, { x: number; y: number; name: string }> }).players.entries()]
      .map(([id, p]) => ({ id: Number(id), name: p.name, x: p.x, y: p.y }))
      .sort((a, b) => a.id - b.id);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/replay.html?renderer=canvas`);
    await page.setInputFiles('#file', fixture);
    await page.waitForFunction(() => window.__tickforgeReplay.loaded || window.__tickforgeReplay.error, undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => window.__tickforgeReplay.error)).toBeUndefined();
    expect(await page.textContent('#status')).toContain(`all ${rec.hashes.size} hashes verified`);

    // Scrub: the timeline is a range input; move it as a user's drag would.
    await page.$eval(
      '#timeline',
      (input, v) => {
        (input as HTMLInputElement).value = String(v);
        input.dispatchEvent(new Event('input'));
      },
      tick,
    );
    const shown = await page.evaluate(() => window.__tickforgeReplay.shown!);
    expect(shown.tick).toBe(tick);
    expect(shown.recordedHash).toBe(rec.hashes.get(tick));
    expect(shown.hash).toBe(rec.hashes.get(tick));
    expect(shown.players.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    for (const [i, p] of shown.players.entries()) {
      expect(p.x).toBeCloseTo(expected[i]!.x, 6);
      expect(p.y).toBeCloseTo(expected[i]!.y, 6);
    }
    expect(await page.textContent('#details')).toContain('matches the recorded hash');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${artifacts}replay-viewer.png` });

    await page.click('#step');
    expect(await page.evaluate(() => window.__tickforgeReplay.shown!.tick)).toBe(tick + 1);
    await page.click('#back');
    await page.click('#back');
    expect(await page.evaluate(() => window.__tickforgeReplay.shown!.tick)).toBe(tick - 1);
    // Play at 4× for half a second: the tick moves on by itself; pause stops it.
    await page.selectOption('#speed', '4');
    await page.click('#play');
    await page.waitForTimeout(500);
    await page.click('#play');
    const paused = await page.evaluate(() => window.__tickforgeReplay.shown!.tick);
    expect(paused).toBeGreaterThan(tick + 20);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.__tickforgeReplay.shown!.tick)).toBe(paused);
    expect(errors).toEqual([]);
  }, 60_000);
});
