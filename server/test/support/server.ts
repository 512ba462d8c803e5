/** Starts the real app on 127.0.0.1:0 for integration tests, and connects real ws clients. */
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { GameClient, matchmake, socketUrl, type GameClientEvents, type ModeDefinition } from '@tickforge/shared';
import { buildApp, type AppOptions } from '../../src/app';
import { loadConfig, type ServerConfig } from '../../src/config';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<ServerConfig> = {}, options: Partial<AppOptions> = {}): Promise<TestServer> {
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', clientDir: '/nonexistent', ...overrides });
  const app = await buildApp({ config, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { app, url: `http://127.0.0.1:${address.port}`, port: address.port, close: () => app.close() };
}

/** Matchmakes, opens the game socket and resolves once the welcome is decoded. */
export async function joinGame<S extends import('@colyseus/schema').Schema, I>(
  server: TestServer,
  mode: ModeDefinition<S, I>,
  name: string,
  events: GameClientEvents = {},
): Promise<GameClient<S, I>> {
  const seat = await matchmake(server.url, { mode: mode.name, name });
  const ws = new WebSocket(socketUrl(server.url, seat));
  return new Promise((resolve, reject) => {
    const client = new GameClient(mode, ws as never, {
      ...events,
      onWelcome: (c) => {
        events.onWelcome?.(c);
        resolve(client);
      },
      onClose: (code, reason) => {
        events.onClose?.(code, reason);
        reject(new Error(`closed before welcome: ${code} ${reason}`));
      },
    });
  });
}

/** Resolves when `predicate` holds, checking on every call of the returned `check`. */
export function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (predicate()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}

/** Opens a raw ws to the game socket and resolves with its close code and reason. */
export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}
