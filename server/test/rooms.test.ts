/**
 * The directory/host split: matchmaking goes through the RoomDirectory (the embedded one unless
 * the app is given another), the socket answer is absolute with PUBLIC_URL and relative without,
 * and the RoomHost tells its listeners about rooms so a shared directory can publish them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GameClient, matchmake, socketUrl, type RoomSummary } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { EmbeddedDirectory, type Room, type SeatRequest } from '@tickforge/server';
import { startServer, waitFor, welcomed, type TestServer } from './support/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A directory that records what the app asks of it. */
class CountingDirectory extends EmbeddedDirectory {
  constructor(
    private readonly calls: string[],
    options: ConstructorParameters<typeof EmbeddedDirectory>[0],
  ) {
    super(options);
  }
  override matchmake(req: SeatRequest) {
    this.calls.push(`matchmake ${req.mode}`);
    return super.matchmake(req);
  }
  override list(mode?: string) {
    this.calls.push(`list ${mode ?? '*'}`);
    return super.list(mode);
  }
}

describe('the room directory', () => {
  it('answers a relative socket URL without PUBLIC_URL', async () => {
    server = await startServer();
    const seat = await matchmake(server.base, { mode: 'arena' });
    expect(seat.url).toBe(`/ws?token=${encodeURIComponent(seat.token)}`);
  });

  it('answers the ws(s) form of PUBLIC_URL, which the client uses as it is', async () => {
    server = await startServer({ publicUrl: 'https://game.example.com' });
    const seat = await matchmake(server.base, { mode: 'arena' });
    expect(seat.url).toBe(`wss://game.example.com/ws?token=${encodeURIComponent(seat.token)}`);
    expect(socketUrl(server.base, seat)).toBe(seat.url);
    // Behind the proxy that PUBLIC_URL names, the same path and token take the seat.
    const ws = new WebSocket(new URL(new URL(seat.url).pathname + new URL(seat.url).search, server.base.replace('http', 'ws')));
    const game = new GameClient(arena, ws as never);
    await welcomed(game);
    ws.close();
  });

  it('is replaceable: the app matchmakes and lists through the directory it is given', async () => {
    const calls: string[] = [];
    server = await startServer(
      {},
      {
        directory: ({ host, tokens, config }) => new CountingDirectory(calls, { host, tokens, seatTtlMs: config.seatTtlSeconds * 1000 }),
      },
    );
    const seat = await matchmake(server.base, { mode: 'arena' });
    const rooms = (await (await fetch(`${server.base}/api/rooms`)).json()) as RoomSummary[];
    expect(rooms.map((r) => r.id)).toEqual([seat.roomId]);
    expect(calls).toEqual(['matchmake arena', 'list *']);
  });
});

describe('the room host', () => {
  it('tells its listeners when a room opens, its occupancy changes, and it closes', async () => {
    server = await startServer();
    const events: string[] = [];
    const say = (what: string) => (room: Room) => events.push(`${what} ${room.occupancy}/${room.playerCount}`);
    server.app.rooms.listen({ roomCreated: say('created'), occupancyChanged: say('occupancy'), roomDisposed: say('disposed') });
    const seat = await matchmake(server.base, { mode: 'arena' });
    const ws = new WebSocket(socketUrl(server.base, seat));
    const game = new GameClient(arena, ws as never);
    await welcomed(game);
    await waitFor('occupancy 1/1', () => events.includes('occupancy 1/1'));
    ws.close();
    await waitFor('room disposal', () => server!.app.rooms.get(seat.roomId) === undefined);
    expect(events[0]).toBe('created 0/0');
    expect(events).toContain('occupancy 1/1');
    expect(events.at(-1)).toMatch(/^disposed /);
  });
});
