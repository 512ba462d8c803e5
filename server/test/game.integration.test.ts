/**
 * End to end over real sockets: matchmaking, the game socket, inputs, acknowledgements, patches,
 * and a malformed client that is closed without anyone else noticing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, GameClient, encodeInput, matchmake, socketUrl, type MatchmakeAnswer } from '@tickforge/shared';
import { arena, type ArenaInput, type ArenaState } from '@tickforge/shared/modes/arena/index';
import { closeOf, join, startServer, waitFor, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({}, { seed: 1 }); // seeded spawns: alice starts clear of the right wall
});
afterAll(() => server.close());

const right: ArenaInput = { dx: 1, dy: 0, aim: 0, fire: false };

describe('two players in one arena room', () => {
  it('play together: movement, acknowledgements, patch rate, and an isolated malformed client', async () => {
    // A records what B sees of A, tick by tick.
    const seenByB: Array<{ tick: number; x: number; at: number }> = [];
    const bPatchTimes: number[] = [];
    const acks: number[] = [];
    let moving = false;
    let firstInputTick = 0;

    const a: GameClient<ArenaState, ArenaInput> = (
      await join<ArenaInput>(
        server.base,
        { name: 'alice' },
        {
          onPatch: (c) => {
            acks.push(c.ack);
            // One input per patch: the client's send rate follows the server's tick.
            if (moving) {
              if (!firstInputTick) firstInputTick = c.tick;
              c.sendInput(right);
            }
          },
        },
      )
    ).game;
    const b: GameClient<ArenaState, ArenaInput> = (
      await join<ArenaInput>(
        server.base,
        { name: 'bob' },
        {
          onPatch: (c) => {
            bPatchTimes.push(performance.now());
            const me = c.state.players.get(String(a.playerId));
            if (me) seenByB.push({ tick: c.tick, x: me.x, at: performance.now() });
          },
        },
      )
    ).game;
    expect(b.roomId).toBe(a.roomId);
    expect(b.playerId).not.toBe(a.playerId);

    // Both see both players, from the full state of the welcome on.
    await waitFor('both players in both mirrors', () => a.state.players.size === 2 && b.state.players.size === 2, 2000);
    await waitFor('a patch at B', () => seenByB.length > 0, 2000);

    const startX = seenByB.at(-1)!.x;
    expect(startX).toBeLessThan(1700); // room to walk 300 units right

    moving = true;
    await waitFor('45 inputs sent', () => a.seq >= 45, 5000);
    moving = false;
    await waitFor('all inputs acknowledged', () => a.ack === a.seq, 2000);

    // B saw A start moving within 2 ticks of the first input.
    const firstMove = seenByB.find((s) => s.x !== startX);
    expect(firstMove).toBeDefined();
    expect(firstMove!.tick - firstInputTick).toBeLessThanOrEqual(2);

    // ... at 200 units/s of simulated time: 45 inputs, each one tick of 1/30 s.
    const endX = seenByB.at(-1)!.x;
    expect(endX - startX).toBeCloseTo((45 * 200) / 30, 6);
    // Per tick in which A moved, B saw x advance by exactly 200/30 per input applied.
    for (let i = 1; i < seenByB.length; i++) {
      const step = (seenByB[i]!.x - seenByB[i - 1]!.x) / (200 / 30);
      expect(Math.abs(step - Math.round(step))).toBeLessThan(1e-6);
    }

    // Acknowledgements only climb, and reach the last input sent.
    for (let i = 1; i < acks.length; i++) expect(acks[i]!).toBeGreaterThanOrEqual(acks[i - 1]!);
    expect(a.ack).toBe(a.seq);

    // One patch for every tick, none skipped nor doubled; and about 30 of them per second of wall
    // time (the loop catches up after a late tick, so over two seconds a loaded machine still gets
    // close: the bounds leave room for one stall longer than the loop's catch-up).
    const t0 = performance.now();
    const n0 = b.patches;
    const tick0 = b.tick;
    await new Promise((r) => setTimeout(r, 2000));
    const rate = ((b.patches - n0) * 1000) / (performance.now() - t0);
    expect(b.patches - n0).toBe(b.tick - tick0);
    expect(rate).toBeGreaterThan(26);
    expect(rate).toBeLessThan(34);

    // A third client joins the same room and sends a malformed frame.
    const seat = await matchmake(server.base, { mode: 'arena', name: 'mallory', roomId: a.roomId });
    const mallory = new WebSocket(socketUrl(server.base, seat));
    await new Promise((r) => mallory.once('message', r)); // its welcome
    const closed = closeOf(mallory);
    const bad = encodeInput(arena.input, 1, right);
    bad[7] = 9; // dx = 9 (after type, u32 sequence, u16 view tick)
    const before = { a: a.patches, b: b.patches, bLen: bPatchTimes.length };
    mallory.send(bad);
    const { code, reason } = await closed;
    expect(code).toBe(CloseCode.INVALID_DATA);
    expect(reason).toMatch(/dx/);

    // Nobody else noticed: both keep receiving patches without a gap.
    await new Promise((r) => setTimeout(r, 500));
    expect(a.closed).toBeUndefined();
    expect(b.closed).toBeUndefined();
    expect(a.patches - before.a).toBeGreaterThan(10);
    expect(b.patches - before.b).toBeGreaterThan(10);
    const gaps = bPatchTimes.slice(before.bLen - 1).map((t, i, all) => (i ? t - all[i - 1]! : 0));
    expect(Math.max(...gaps)).toBeLessThan(150); // no stall beyond ~4 ticks on a busy shared machine

    a.close();
    b.close();
  });

  it('refuses sockets without a valid seat token, with a clear close code', async () => {
    const wsUrl = server.base.replace('http', 'ws');
    const tokenless = closeOf(new WebSocket(`${wsUrl}/ws`));
    expect(await tokenless).toEqual({ code: CloseCode.SEAT_INVALID, reason: 'missing seat token (?token=)' });

    const seat = await matchmake(server.base, { mode: 'arena' });
    const forged = seat.token.slice(0, -3) + (seat.token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(await closeOf(new WebSocket(`${wsUrl}/ws?token=${forged}`))).toEqual({
      code: CloseCode.SEAT_INVALID,
      reason: 'seat token signature invalid',
    });
    expect((await closeOf(new WebSocket(`${wsUrl}/ws?token=garbage`))).code).toBe(CloseCode.SEAT_INVALID);

    // A token is good once.
    const first = new WebSocket(socketUrl(server.base, seat));
    await new Promise((r) => first.once('message', r));
    expect(await closeOf(new WebSocket(socketUrl(server.base, seat)))).toEqual({ code: CloseCode.SEAT_USED, reason: 'seat token already used' });
    first.close();
  });

  it('answers matchmaking errors with JSON codes', async () => {
    const post = (body: unknown) => fetch(`${server.base}/api/matchmake`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const unknown = await post({ mode: 'chess' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('TF_ERR_UNKNOWN_MODE');
    const noRoom = await post({ mode: 'arena', roomId: 'nope' });
    expect(noRoom.status).toBe(404);
    expect((await noRoom.json()).code).toBe('TF_ERR_ROOM_NOT_FOUND');
    const invalid = await post({ mode: 'arena', name: 'x'.repeat(50) });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).code).toBe('FST_ERR_VALIDATION');
  });

  it('fills a room to 16 players, then opens another; an empty room is disposed', async () => {
    const server = await startServer(); // a fresh server: no rooms left from other tests
    const seats: MatchmakeAnswer[] = [];
    for (let i = 0; i < 17; i++) seats.push(await matchmake(server.base, { mode: 'arena', name: `p${i}` }));
    const first = seats[0]!.roomId;
    expect(seats.slice(0, 16).every((s) => s.roomId === first)).toBe(true);
    expect(seats[16]!.roomId).not.toBe(first);
    const full = await fetch(`${server.base}/api/matchmake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'arena', roomId: first }),
    });
    expect(full.status).toBe(409);
    expect((await full.json()).code).toBe('TF_ERR_ROOM_FULL');
    // The lobby's list says so before anyone connected: 16 seats taken, nobody playing yet.
    const listed = (await (await fetch(`${server.base}/api/rooms?mode=arena`)).json()) as Array<{ id: string; players: number; seatsTaken: number }>;
    expect(listed.find((r) => r.id === first)).toMatchObject({ players: 0, seatsTaken: 16 });

    // One player joins the second room and leaves: the room goes away.
    const lone = new WebSocket(socketUrl(server.base, seats[16]!));
    await new Promise((r) => lone.once('message', r));
    expect(server.app.rooms.get(seats[16]!.roomId)).toBeDefined();
    lone.close();
    await waitFor('room disposal', () => server.app.rooms.get(seats[16]!.roomId) === undefined, 2000);
    await server.close();
  });
});
