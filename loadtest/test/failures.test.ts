/**
 * Failures are data: against a misbehaving server (patches the schema cannot apply, connections
 * closed with 4011, no /metrics), the loadtest counts each kind and still reports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from '@colyseus/schema';
import { WebSocketServer } from 'ws';
import { afterAll, expect, it } from 'vitest';
import { ServerMessage, encodePatch, encodeWelcome } from '@tickforge/shared';
import { ArenaState } from '@tickforge/shared/modes/arena/state';
import type { Report } from '../src/report/report';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'loadtest-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Speaks the protocol's framing but sends patches that point at a structure that does not exist. */
async function brokenServer(): Promise<{ url: string; server: Server }> {
  let connections = 0;
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/modes') return res.end(JSON.stringify([{ name: 'arena' }]));
    if (req.url === '/api/matchmake' && req.method === 'POST') {
      return res.end(JSON.stringify({ roomId: 'r', mode: 'arena', token: 't', expiresInMs: 30_000, url: '/ws?token=t' }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  const state = new Encoder(new ArenaState()).encodeAll().slice();
  wss.on('connection', (ws) => {
    const n = ++connections;
    ws.send(encodeWelcome({ playerId: n, tickRate: 30, tick: 1, serverTime: 0, mode: 'arena', roomId: 'r', state }));
    let tick = 1;
    const timer = setInterval(() => {
      tick++;
      // Switch to refId 99, which was never sent: the schema decoder cannot apply this.
      ws.send(encodePatch(tick, 0, Uint8Array.of(255, 99, 0, 1), ServerMessage.PATCH));
      if (n === 1 && tick === 30) ws.close(4011, 'client stopped reading');
    }, 33);
    ws.on('close', () => clearInterval(timer));
    ws.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

it('counts decode errors and closes by code, and reports without server metrics', async () => {
  const { url, server } = await brokenServer();
  try {
    const out = join(dir, 'broken.json');
    const r = await runCli(['--url', url, '--bots', '3', '--warmup', '1', '--duration', '2', '--workers', '1', '--quiet', '--out', out], 30_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('GET /metrics failed; server-side figures will be missing');
    expect(r.stderr).not.toContain('refId');
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.server.available).toBe(false);
    expect(report.bots.joined).toBe(3);
    expect(report.bots.totalFailures['close:4011']).toBe(1);
    // Two bots stay for the whole run at 30 broken patches a second each.
    expect(report.bots.totalFailures.decode).toBeGreaterThan(60);
    expect(r.stdout).toMatch(/errors .*close:4011×1/);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}, 35_000);
