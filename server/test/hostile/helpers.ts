/**
 * What the hostile-client tests share: a real server on 127.0.0.1:0, real `ws` clients speaking
 * the protocol through GameClient, and small waiting helpers with deadlines (nothing waits forever).
 */
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { GameClient, matchmake, socketUrl, type GameClientEvents, type ModeDefinition, type Seat } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { buildApp, loadConfig, type AppOptions, type ServerConfig } from '@tickforge/server';

export interface TestServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/** A real server on a free port, silent, with long heartbeats unless the test says otherwise. */
export async function startServer(config: Partial<ServerConfig> = {}, options: Partial<AppOptions> = {}): Promise<TestServer> {
  const cfg = loadConfig({}, { port: 0, logLevel: 'silent', heartbeatMs: 60_000, matchmakeRateLimit: 0, ...config });
  const app = await buildApp({ config: cfg, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}`, close: () => app.close() };
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

/** Matchmakes and connects a GameClient on a real socket; resolves once welcomed. */
export async function join<I = any>(
  base: string,
  request: { mode?: string; name?: string; roomId?: string; create?: boolean } = {},
  events: GameClientEvents = {},
  mode: ModeDefinition<any, I> = arena as unknown as ModeDefinition<any, I>,
): Promise<{ game: GameClient<any, I>; ws: WebSocket; seat: Seat }> {
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
