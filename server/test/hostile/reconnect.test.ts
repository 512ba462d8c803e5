/**
 * Dropped connections: the player keeps their seat for the reconnection grace (20 s by default),
 * comes back with the reconnect token of their WELCOME and finds the same player id, position and
 * score; after the grace the player is removed. Time is a ManualClock: each step is one tick, and
 * the test waits on the real sockets in between.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, GameClient, matchmake, reconnectUrl, socketUrl, type MatchmakeRequest } from '@tickforge/shared';
import { arena, type ArenaState } from '@tickforge/shared/modes/arena/index';
import { ManualClock } from '@tickforge/server';
import { closeOf, startServer, stepTicksUntil, waitFor, type TestServer } from '../support/server';

const TICK_MS = 1000 / 30;
const GRACE_MS = 20_000; // the default RECONNECT_GRACE_SECONDS

let clock: ManualClock;
let server: TestServer;

beforeEach(async () => {
  clock = new ManualClock();
  server = await startServer({}, { clock });
});
afterEach(() => server.close());

/** Steps the server one tick at a time, letting the sockets deliver in between, until `check` holds. */
const stepUntil = <T>(what: string, check: () => T | undefined | false, maxTicks?: number) => stepTicksUntil(clock, TICK_MS, what, check, maxTicks);

async function connect(url: string, game?: GameClient<ArenaState, any>) {
  const ws = new WebSocket(url);
  if (game) game.reconnect(ws as never);
  else game = new GameClient(arena, ws as never);
  await stepUntil('WELCOME', () => game!.welcomed || game!.closed);
  if (!game.welcomed) throw new Error(`closed before WELCOME: ${JSON.stringify(game.closed)}`);
  return { ws, game };
}

async function join(request: Omit<MatchmakeRequest, 'mode'> = {}) {
  const seat = await matchmake(server.base, { mode: 'arena', ...request });
  return { seat, ...(await connect(socketUrl(server.base, seat))) };
}

/** Opens a socket with `url` and returns how the server closed it. */
async function refused(url: string) {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  return closeOf(ws);
}

const room = (id: string) => server.app.rooms.get(id);
const serverPlayer = (roomId: string, id: number) => (room(roomId)!.state as ArenaState).players.get(String(id));

describe('reconnection', () => {
  it('a dropped player comes back with the token: same id, position and score, and the token is used up', async () => {
    const a = await join({ create: true });
    const b = await join({ roomId: a.seat.roomId });
    const id = a.game.playerId;
    for (let i = 0; i < 10; i++) a.game.sendInput({ dx: 1, dy: 1, aim: 0, fire: false });
    await stepUntil('inputs applied', () => a.game.ack === 10);
    serverPlayer(a.seat.roomId, id)!.score = 7; // as if A had scored: state the mode keeps per player
    await stepUntil('score seen by A', () => (a.game.state as ArenaState).players.get(String(id))?.score === 7);
    // What the mode keeps for the player (its position is not in toJSON: arena sends motion segments).
    const kept = (p: ArenaState['players'] extends Map<string, infer P> ? P : never) => ({ x: p.x, y: p.y, name: p.name, score: p.score, hp: p.hp });
    const before = kept(serverPlayer(a.seat.roomId, id)!);
    const token = a.game.reconnectToken;
    expect(token).not.toBe('');

    a.ws.terminate(); // the network drops: no close frame
    await waitFor('player held', () => room(a.seat.roomId)!.heldCount === 1);
    clock.advance(GRACE_MS / 2); // 10 s of ticks: the player stays, as B sees
    await stepUntil('B patched', () => b.game.tick > 300);
    expect((b.game.state as ArenaState).players.has(String(id))).toBe(true);
    expect(kept(serverPlayer(a.seat.roomId, id)!)).toEqual(before);

    const back = await connect(reconnectUrl(server.base, token), a.game);
    expect(back.game.playerId).toBe(id);
    const mirrored = (back.game.state as ArenaState).players.get(String(id))!;
    expect({ x: mirrored.x, y: mirrored.y, score: mirrored.score, hp: mirrored.hp }).toEqual({ x: before.x, y: before.y, score: 7, hp: before.hp });
    expect(room(a.seat.roomId)!.heldCount).toBe(0);
    expect(room(a.seat.roomId)!.playerCount).toBe(2);
    expect(back.game.reconnectToken).not.toBe(token);

    // Sequence numbers start again on the new connection, and the player moves on from where it was.
    back.game.sendInput({ dx: -1, dy: 0, aim: 0, fire: false });
    await stepUntil('input on the new connection applied', () => back.game.ack === 1);
    expect(serverPlayer(a.seat.roomId, id)!.x).toBeLessThan(before.x);

    // The old token is spent; a forged one is refused.
    expect(await refused(reconnectUrl(server.base, token))).toMatchObject({ code: CloseCode.SEAT_USED });
    const forged = back.game.reconnectToken.slice(0, -2) + (back.game.reconnectToken.endsWith('AA') ? 'BB' : 'AA');
    expect(await refused(reconnectUrl(server.base, forged))).toMatchObject({ code: CloseCode.SEAT_INVALID });
    // A seat token is not a reconnect token.
    expect(await refused(reconnectUrl(server.base, a.seat.token))).toMatchObject({ code: CloseCode.SEAT_INVALID });
  });

  it('a reconnection while the old socket still looks alive replaces it (4012)', async () => {
    const a = await join({ create: true });
    const oldClosed = closeOf(a.ws);
    const second = new GameClient(arena, new WebSocket(reconnectUrl(server.base, a.game.reconnectToken)) as never);
    await stepUntil('WELCOME on the new socket', () => second.welcomed);
    expect(second.playerId).toBe(a.game.playerId);
    expect(await oldClosed).toEqual({ code: CloseCode.REPLACED, reason: 'replaced by a new connection' });
    expect(room(a.seat.roomId)!.playerCount).toBe(1);
    expect(room(a.seat.roomId)!.heldCount).toBe(0);
  });

  it('after the grace the player is removed and the token refused (4002)', async () => {
    const a = await join({ create: true });
    const b = await join({ roomId: a.seat.roomId });
    const id = a.game.playerId;
    const token = a.game.reconnectToken;
    a.ws.terminate();
    await waitFor('player held', () => room(a.seat.roomId)!.heldCount === 1);
    clock.advance(GRACE_MS - 2 * TICK_MS);
    expect(serverPlayer(a.seat.roomId, id)).toBeDefined();
    await stepUntil('player removed', () => !serverPlayer(a.seat.roomId, id), 5);
    await stepUntil('removal reaches B', () => !(b.game.state as ArenaState).players.has(String(id)));
    expect(room(a.seat.roomId)!.heldCount).toBe(0);
    const closed = await refused(reconnectUrl(server.base, token));
    expect(closed.code).toBe(CloseCode.SEAT_EXPIRED);
    expect(closed.reason).toMatch(/grace/);
  });

  it('a room whose last player dropped waits out the grace before it is disposed', async () => {
    const a = await join({ create: true });
    const token = a.game.reconnectToken;
    a.ws.terminate();
    await waitFor('player held', () => room(a.seat.roomId)?.heldCount === 1);
    clock.advance(GRACE_MS - TICK_MS);
    expect(room(a.seat.roomId)).toBeDefined();
    await stepUntil('room disposed', () => !room(a.seat.roomId), 5);
    expect(await refused(reconnectUrl(server.base, token))).toMatchObject({ code: CloseCode.ROOM_GONE });
  });

  it.each([
    ['1000', (ws: WebSocket) => ws.close(1000)],
    ['1001 (a page going away)', (ws: WebSocket) => ws.close(1001)],
    ['without a code', (ws: WebSocket) => ws.close()],
  ])('a close handshake from the client, %s, is a goodbye: no grace', async (_how, close) => {
    const a = await join({ create: true });
    await join({ roomId: a.seat.roomId });
    close(a.ws);
    await waitFor('player gone', () => room(a.seat.roomId)!.occupancy === 1);
    expect(room(a.seat.roomId)!.heldCount).toBe(0);
    expect(await refused(reconnectUrl(server.base, a.game.reconnectToken))).toMatchObject({ code: CloseCode.SEAT_EXPIRED });
  });
});

describe('dead connections', () => {
  it('the heartbeat terminates a socket that stops answering pings, and its player is held for reconnection', async () => {
    await server.close();
    server = await startServer({ heartbeatMs: 100 }, { clock });
    const seat = await matchmake(server.base, { mode: 'arena' });
    const ws = new WebSocket(socketUrl(server.base, seat), { autoPong: false });
    const game = new GameClient(arena, ws as never);
    await stepUntil('WELCOME', () => game.welcomed);
    const closed = await closeOf(ws);
    expect(closed.code).toBe(1006); // terminated: no close frame
    await waitFor('player held', () => room(seat.roomId)!.heldCount === 1);
    const back = await connect(reconnectUrl(server.base, game.reconnectToken), game);
    expect(back.game.playerId).toBe(game.playerId);
  });
});
