/**
 * A real server for mode tests: buildApp on 127.0.0.1 port 0 with the given modes, its pino log
 * captured as parsed records, and players that matchmake over HTTP and play over real WebSockets
 * (the `ws` package) through the same GameClient the browser uses.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { FastifyInstance } from 'fastify';
import { GameClient, matchmake, socketUrl, type ModeDefinition, type Seat, type SocketLike } from '@tickforge/shared';
import { buildApp, loadConfig } from '../../src';

export interface LiveServer {
  app: FastifyInstance;
  baseUrl: string;
  /** Every log record the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startServer(modes: readonly ModeDefinition<any, any>[], seed = 1): Promise<LiveServer> {
  const logs: Array<Record<string, unknown>> = [];
  const app = await buildApp({
    config: loadConfig({}, { port: 0, clientDir: '/nonexistent', logLevel: 'info' }),
    modes,
    seed,
    logger: { level: 'info', stream: { write: (line: string) => void logs.push(JSON.parse(line)) } },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

export interface LivePlayer<S extends import('@colyseus/schema').Schema, I> {
  seat: Seat;
  client: GameClient<S, I>;
  /** Arrival times (performance.now()) of every patch, in order. */
  patchTimes: number[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Matchmakes into `mode` (a given room, or any) and waits for the welcome. */
export async function joinLive<S extends import('@colyseus/schema').Schema, I>(
  server: LiveServer,
  mode: ModeDefinition<S, I>,
  request: { name?: string; roomId?: string; create?: boolean } = {},
): Promise<LivePlayer<S, I>> {
  const seat = await matchmake(server.baseUrl, { mode: mode.name, ...request });
  const ws = new WebSocket(socketUrl(server.baseUrl, seat));
  const patchTimes: number[] = [];
  let onClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (onClosed = r));
  let welcome!: { resolve(): void; reject(e: Error): void };
  const welcomed = new Promise<void>((resolve, reject) => (welcome = { resolve, reject }));
  const client = new GameClient(mode, ws as unknown as SocketLike, {
    onWelcome: () => welcome.resolve(),
    onPatch: () => void patchTimes.push(performance.now()),
    onClose: (code, reason) => {
      onClosed({ code, reason });
      welcome.reject(new Error(`closed before the welcome: ${code} ${reason}`));
    },
  });
  const player: LivePlayer<S, I> = { seat, client, patchTimes, closed };
  await welcomed;
  return player;
}

/** Polls `check` every 10 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Patches that arrived in [from, to) (performance.now() times). */
export function patchesBetween(p: { patchTimes: number[] }, from: number, to: number): number {
  return p.patchTimes.filter((t) => t >= from && t < to).length;
}
