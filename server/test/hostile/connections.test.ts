/**
 * Descriptors and paths (issue 12 points 4 and 5): silent and half-sent connections are cut
 * within the request timeout; open connections are capped per address and in all, with a clear
 * HTTP refusal rather than a reset, while a real player and /health still get in; only /ws
 * upgrades, and what an attacker chooses (a path) does not grow the log.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { join, startServer, waitFor, type TestServer } from '../support/server';
import { RawWebSocket } from './raw-socket';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

const fds = () => readdirSync('/proc/self/fd').length;

/** A TCP connection from `from` (any 127.x address is this machine) that records what it gets and when it closes. */
async function open(port: number, from = '127.0.0.1'): Promise<{ socket: Socket; got: () => string; closedAt: () => number | undefined }> {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from });
  sockets.push(socket);
  let got = '';
  let closedAt: number | undefined;
  socket.on('data', (c) => (got += c));
  socket.on('error', () => {});
  socket.on('close', () => (closedAt = performance.now()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, got: () => got, closedAt: () => closedAt };
}

describe('idle connections and connection caps', () => {
  it('cuts silent and half-sent connections within the request timeout, and gives the descriptors back', async () => {
    server = await startServer({ requestTimeoutSeconds: 1, maxConnectionsPerAddress: 0 });
    const base = fds();
    const t0 = performance.now();
    const silent = await Promise.all(Array.from({ length: 50 }, () => open(server!.port)));
    // Slowloris: a byte of headers every 200 ms, never done; the idle cut cannot see it, the request timeout does.
    const partial = await open(server.port);
    const request = 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'y'.repeat(100);
    let i = 0;
    const trickle = setInterval(() => !partial.socket.destroyed && partial.socket.write(request[i++ % request.length]!), 200);
    const peak = fds();
    await waitFor('every connection cut', () => silent.every((c) => c.closedAt() !== undefined) && partial.closedAt() !== undefined, 4000);
    clearInterval(trickle);
    const slowest = Math.max(...silent.map((c) => c.closedAt()! - t0), partial.closedAt()! - t0);
    await waitFor('descriptors back', () => fds() <= base + 2 || undefined, 2000);
    console.log(`51 idle connections (50 silent, 1 slowloris): all cut within ${slowest.toFixed(0)} ms (timeout 1 s); fds ${base} → ${peak} → ${fds()}`);
    expect(slowest).toBeLessThan(1000 + 500 + 500);
    expect(partial.got()).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('caps connections per address (429) and in all (503) with a JSON answer, while a real player and /health still get in', async () => {
    server = await startServer({ requestTimeoutSeconds: 2, maxConnectionsPerAddress: 10, maxConnections: 30 });
    const s = server;
    // 25 silent connections from one address: 10 are held, the excess is refused.
    const attacker = await Promise.all(Array.from({ length: 25 }, () => open(s.port, '127.0.0.2')));
    await waitFor('10 held', () => s.app.connections.openConnections === 10 || undefined, 2000);
    const asked = await open(s.port, '127.0.0.2');
    asked.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('a 429 answer', () => asked.closedAt(), 2000);
    expect(asked.got()).toMatch(/^HTTP\/1\.1 429/);
    expect(JSON.parse(asked.got().split('\r\n\r\n')[1]!)).toMatchObject({ statusCode: 429, code: 'TF_ERR_TOO_MANY_CONNECTIONS' });
    // Another address is not affected: a player joins, /health answers.
    const player = await join(s.base);
    expect((await fetch(`${s.base}/health`)).status).toBe(200);

    // Fill the process cap from more addresses: the next connection hears 503 TF_ERR_SERVER_BUSY.
    for (let a = 3; a <= 4; a++) for (let i = 0; i < 10; i++) attacker.push(await open(s.port, `127.0.0.${a}`));
    await waitFor('the cap reached', () => s.app.connections.openConnections >= 30 || undefined, 2000);
    const busy = await open(s.port, '127.0.0.9');
    busy.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('a 503 answer', () => busy.closedAt(), 2000);
    expect(busy.got()).toMatch(/^HTTP\/1\.1 503/);
    expect(busy.got()).toMatch(/retry-after: 5/);
    expect(JSON.parse(busy.got().split('\r\n\r\n')[1]!)).toMatchObject({ statusCode: 503, code: 'TF_ERR_SERVER_BUSY' });
    // The player already in plays on; once the silent ones are cut (2 s), /health and a new player get in.
    expect(player.game.closed).toBeUndefined();
    await waitFor('silent connections cut', () => attacker.every((c) => c.closedAt() !== undefined) || undefined, 4000);
    expect((await fetch(`${s.base}/health`)).status).toBe(200);
    const second = await join(s.base);
    console.log(`caps: 15 of 25 refused per address, ${s.app.connections.refused} refused in all; player kept playing; /health and a new player in after the cut`);
    player.ws.close();
    second.ws.close();
  }, 20_000);
});

describe('upgrades', () => {
  it.each(['/', '/health', '/metrics', '/nonexistent', '/ws/x', '/api/modes'])('of %s answer HTTP 404 before any 101', async (path) => {
    server = await startServer();
    await expect(RawWebSocket.open(server.port, path)).rejects.toThrow(/upgrade refused: HTTP\/1\.1 404/);
  });

  it('log nothing of an attacker-chosen 8 KB path', async () => {
    server = await startServer({}, { captureLogs: true });
    const path = `/${'x'.repeat(8000)}`;
    for (let i = 0; i < 20; i++) await expect(RawWebSocket.open(server.port, path)).rejects.toThrow(/404/);
    const logged = JSON.stringify(server.logs).length;
    console.log(`20 upgrades of an 8 KB path: ${logged} bytes of log`);
    expect(logged).toBeLessThan(2000);
  });
});
