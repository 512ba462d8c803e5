/**
 * A real server for mode tests: buildApp on 127.0.0.1 port 0 with the given modes, its pino log
 * captured as parsed records, and players that matchmake over HTTP and play over real WebSockets
 * (the `ws` package) through the same GameClient the browser uses.
 */
import { WebSocket } from 'ws';
import { GameClient, matchmake, socketUrl, type ModeDefinition, type MatchmakeAnswer, type MatchmakeRequest, type SocketLike } from '@tickforge/shared';
import { startServer as startTestServer, type TestServer } from '../support/server';

export { waitFor } from '../support/server';
export type LiveServer = TestServer;

/** The shared test server with only `modes`, seeded, its log records captured in `logs`. */
export const startServer = (modes: readonly ModeDefinition<any, any>[], seed = 1): Promise<LiveServer> => startTestServer({}, { modes, seed, captureLogs: true });

export interface LivePlayer<S extends import('@colyseus/schema').Schema, I> {
  seat: MatchmakeAnswer;
  client: GameClient<S, I>;
  /** Arrival times (performance.now()) of every patch, in order. */
  patchTimes: number[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Matchmakes into `mode` (a given room, or any) and waits for the welcome. */
export async function joinLive<S extends import('@colyseus/schema').Schema, I>(
  server: LiveServer,
  mode: ModeDefinition<S, I>,
  request: Omit<MatchmakeRequest, 'mode'> = {},
): Promise<LivePlayer<S, I>> {
  const seat = await matchmake(server.base, { mode: mode.name, ...request });
  const ws = new WebSocket(socketUrl(server.base, seat));
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

/** Patches that arrived in [from, to) (performance.now() times). */
export function patchesBetween(p: { patchTimes: number[] }, from: number, to: number): number {
  return p.patchTimes.filter((t) => t >= from && t < to).length;
}
