/**
 * What the server's integration tests share: a real server on 127.0.0.1:0, real `ws` clients
 * speaking the protocol through GameClient, and small waiting helpers with deadlines (nothing
 * waits forever).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { GameClient, matchmake, socketUrl, type GameClientEvents, type ModeDefinition, type MatchmakeAnswer, type MatchmakeRequest } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { buildApp, loadConfig, type AppOptions, type ServerConfig } from '@tickforge/server';

export interface TestServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  base: string;
  port: number;
  /** The server's log records, parsed, when started with `captureLogs`. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A real server on a free port: silent (or logging at info into `logs` with `captureLogs`), no
 * matchmaking rate limit, long heartbeats and no static client unless the test says otherwise.
 */
export async function startServer(config: Partial<ServerConfig> = {}, options: Partial<AppOptions> & { captureLogs?: boolean } = {}): Promise<TestServer> {
  const { captureLogs, ...appOptions } = options;
  const logs: Array<Record<string, unknown>> = [];
  const cfg = loadConfig({}, { port: 0, logLevel: 'silent', heartbeatMs: 60_000, matchmakeRateLimit: 0, clientDir: '/nonexistent', ...config });
  const logger = captureLogs ? { level: 'info', stream: { write: (line: string) => void logs.push(JSON.parse(line)) } } : undefined;
  const app = await buildApp({ config: cfg, ...(logger && { logger }), ...appOptions });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}`, port, logs, close: () => app.close() };
}

/** Resolves when `ws` closes, with the code and reason it saw. */
export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve({ code: -1, reason: 'already closed' });
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/** Polls `check` every 5 ms until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Steps a manual clock one tick at a time, letting the sockets deliver in between, until `check` holds. */
export async function stepTicksUntil<T>(clock: { advance(ms: number): void }, tickMs: number, what: string, check: () => T | undefined | false, maxTicks = 200): Promise<T> {
  for (let i = 0; i < maxTicks; i++) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    clock.advance(tickMs);
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`no ${what} after ${maxTicks} ticks`);
}

/** Matchmakes and connects a GameClient on a real socket; resolves once welcomed. */
export async function join<I = any>(
  base: string,
  request: Partial<MatchmakeRequest> = {},
  events: GameClientEvents = {},
  mode: ModeDefinition<any, I> = arena as unknown as ModeDefinition<any, I>,
): Promise<{ game: GameClient<any, I>; ws: WebSocket; seat: MatchmakeAnswer }> {
  const seat = await matchmake(base, { mode: mode.name, ...request });
  const ws = new WebSocket(socketUrl(base, seat));
  const game = new GameClient(mode, ws as never, events);
  await welcomed(game);
  return { game, ws, seat };
}

/** Waits for the client's WELCOME; fails at once if the socket closes first. */
export async function welcomed(game: GameClient<any, any>, ms = 5000): Promise<void> {
  const closed = await waitFor('WELCOME', () => (game.welcomed ? 'welcomed' : game.closed), ms);
  if (closed !== 'welcomed') throw new Error(`socket closed before WELCOME: ${closed.code} ${closed.reason}`);
}
