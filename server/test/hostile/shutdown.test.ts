/**
 * Graceful shutdown of the real server process (`node --import tsx server/src/main.ts`): on SIGTERM
 * and on SIGINT every player hears 1001 with a reason and the process exits 0 within 5 s, even
 * with a client that never answers the close handshake (a raw socket that stopped reading).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CloseCode, ServerMessage, matchmake } from '@tickforge/shared';
import { RawWebSocket } from './raw-socket';
import { closeOf, join, waitFor } from '../support/server';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts main.ts on a free port and resolves with its URL once it printed it. */
function startProcess(env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', CLIENT_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  return waitFor('the server URL', () => /open (http:\/\/[\d.]+:\d+)/.exec(out)?.[1], 20_000)
    .then((base) => ({ child, base, output: () => out }))
    .catch((err) => {
      child.kill('SIGKILL');
      throw new Error(`${err.message}; output: ${out.slice(0, 2000)}`);
    });
}

describe('the server process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s closes every player with 1001 and a reason and exits 0 within 5 s',
    async (signal) => {
      const { child, base, output } = await startProcess();
      try {
        const a = await join(base, { name: 'a' });
        const b = await join(base, { name: 'b', roomId: a.seat.roomId });
        const c = await join(base, { name: 'c', create: true });
        const closes = [a, b, c].map((p) => closeOf(p.ws));
        // A client that stops reading: it will never answer the close frame.
        const seat = await matchmake(base, { mode: 'arena', roomId: a.seat.roomId });
        const stuck = await RawWebSocket.open(Number(new URL(base).port), `/ws?token=${encodeURIComponent(seat.token)}`);
        await waitFor('WELCOME on the raw socket', () => stuck.messages[0]?.payload[0] === ServerMessage.WELCOME);
        stuck.socket.pause();

        const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
        const sentAt = Date.now();
        child.kill(signal);
        for (const closed of await Promise.all(closes)) expect(closed).toEqual({ code: CloseCode.GOING_AWAY, reason: 'server shutting down' });
        const exit = await exited;
        const took = Date.now() - sentAt;
        console.log(`${signal}: exit ${exit.code} after ${took} ms`);
        expect(exit, output()).toEqual({ code: 0, signal: null });
        expect(took).toBeLessThan(5000);
        // It was told too, before the server gave up on it.
        stuck.socket.resume();
        expect(await waitFor('close frame on the raw socket', () => stuck.close, 2000)).toEqual({
          code: CloseCode.GOING_AWAY,
          reason: 'server shutting down',
        });
        stuck.socket.destroy();
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
    30_000,
  );

  it('on SIGTERM exits 0 within 5 s with an idle TCP connection and a half-sent request open', async () => {
    // A long request timeout, so that nothing but shutdown can end those connections.
    const { child, base, output } = await startProcess({ REQUEST_TIMEOUT_SECONDS: '60' });
    try {
      const port = Number(new URL(base).port);
      const idle = connect(port, '127.0.0.1');
      const partial = connect(port, '127.0.0.1');
      for (const s of [idle, partial]) s.on('error', () => {});
      await Promise.all([idle, partial].map((s) => new Promise((r) => s.once('connect', r))));
      partial.write('POST /api/matchmake HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"mo');
      const player = await join(base, { name: 'a' });
      const closed = closeOf(player.ws);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const sentAt = Date.now();
      child.kill('SIGTERM');
      expect(await closed).toEqual({ code: CloseCode.GOING_AWAY, reason: 'server shutting down' });
      const code = await exited;
      const took = Date.now() - sentAt;
      console.log(`SIGTERM with an idle and a half-sent connection: exit ${code} after ${took} ms`);
      expect(code, output()).toBe(0);
      expect(took).toBeLessThan(5000);
      idle.destroy();
      partial.destroy();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
