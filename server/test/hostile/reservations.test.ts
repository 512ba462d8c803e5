/**
 * Reservations that never connect (issue 12 points 1 and 3): they cost a map entry and a timer,
 * not a tick loop; MAX_ROOMS cannot be filled by them; a room cannot be kept full by them. The
 * server trusts X-Forwarded-For here, so each attack comes from as many addresses as it likes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, socketUrl } from '@tickforge/shared';
import { closeOf, join, startServer, waitFor, type TestServer } from '../support/server';
import { CpuTimeline, pausesIn } from './cpu-timeline';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const matchmake = (s: TestServer, body: object, address: string) =>
  s.app.inject({ method: 'POST', url: '/api/matchmake', payload: { mode: 'arena', ...body }, headers: { 'x-forwarded-for': address } });

/** Ticks of the patches a player sees, with arrival times, for `pausesIn`. */
function patchArrivals(events: { onPatch?: unknown }) {
  const arrivals: Array<{ tick: number; at: number }> = [];
  events.onPatch = (_c: unknown, tick: number) => arrivals.push({ tick, at: performance.now() });
  return arrivals;
}

describe('reservations that never connect', () => {
  it('1,000 create-matchmakes from 125 addresses: no room ticks, CPU stays low, and a real player still quick-plays and creates', async () => {
    server = await startServer({ trustProxy: true, matchmakeRateLimit: 30, maxRooms: 1000, seatClaimGraceSeconds: 1, seatTtlSeconds: 4 });
    const s = server;
    for (let a = 0; a < 125; a++) {
      const answers = await Promise.all(Array.from({ length: 8 }, () => matchmake(s, { create: true }, `10.0.${a}.1`)));
      for (const r of answers) expect(r.statusCode, r.body).toBe(200);
    }
    // The ninth unclaimed seat of one address is refused.
    const ninth = await matchmake(s, { create: true }, '10.0.0.1');
    expect(ninth.statusCode).toBe(429);
    expect(ninth.json().code).toBe('TF_ERR_TOO_MANY_SEATS');
    expect(s.app.rooms.size).toBe(1000);

    // A second of 1,000 rooms of reservations: none ticks, and the process barely works.
    const before = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = process.cpuUsage(before);
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
    console.log(`1000 reservation-only rooms: ${s.app.rooms.ticking} ticking, process CPU ${(cpuShare * 100).toFixed(1)}% of a core over 1 s`);
    expect(s.app.rooms.ticking).toBe(0);
    expect(cpuShare).toBeLessThan(0.1); // before: 34% of a core for the same rooms

    // Quick-play: a seat in one of them (which then ticks).
    const events = {};
    const arrivals = patchArrivals(events);
    const quick = await join(s.base, {}, events);
    // Create at MAX_ROOMS: the oldest abandoned room gives way (its reservations are past the grace).
    const created = await join(s.base, { create: true });
    expect(created.seat.roomId).not.toBe(quick.seat.roomId);
    expect(s.app.rooms.size).toBe(1000);
    expect(s.app.rooms.ticking).toBe(2);

    // The well-behaved player's patches, over a second, beside 998 waiting rooms.
    const cpuline = new CpuTimeline();
    cpuline.start();
    const from = arrivals.length;
    await new Promise((r) => setTimeout(r, 1000));
    cpuline.stop();
    const window = arrivals.slice(from);
    const pauses = pausesIn(window, cpuline, { tickMs: 1000 / 30, maxTicks: 3, slackMs: 50 });
    const maxGap = Math.max(...window.slice(1).map((p, i) => p.tick - window[i]!.tick));
    console.log(`player beside them: ${window.length} patches in 1 s, max gap ${maxGap} ticks, pauses ${JSON.stringify(pauses.all)}`);
    expect(pauses.serverCaused).toEqual([]);

    // The seats expire (TTL 4 s): the rooms of nothing but reservations close by themselves.
    await waitFor('reservation-only rooms to close', () => s.app.rooms.size === 2, 6000);
    expect(s.app.rooms.ticking).toBe(2);
    quick.ws.close();
    created.ws.close();
  }, 30_000);

  it('a room kept full by squatters from many addresses still lets a friend in once the claim grace passed; the given-up seat hears 4002', async () => {
    server = await startServer({ trustProxy: true, matchmakeRateLimit: 30, seatClaimGraceSeconds: 1 });
    const s = server;
    const victim = await join(s.base, { name: 'victim' });
    const roomId = victim.seat.roomId;
    // One address holds at most 4 unclaimed seats in one room.
    const first: Array<{ url: string }> = [];
    for (let i = 0; i < 4; i++) {
      const r = await matchmake(s, { roomId }, '10.9.0.1');
      expect(r.statusCode).toBe(200);
      first.push(r.json());
    }
    const fifth = await matchmake(s, { roomId }, '10.9.0.1');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toMatchObject({ code: 'TF_ERR_TOO_MANY_SEATS' });
    expect(fifth.json().message).toMatch(/4 unclaimed seats in this room/);
    for (let i = 0; i < 11; i++) expect((await matchmake(s, { roomId }, `10.9.0.${2 + (i >> 2)}`)).statusCode).toBe(200);
    // 1 player + 15 reservations from 4 addresses, all within the grace.
    const full = await matchmake(s, { roomId }, '10.9.1.1');
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('TF_ERR_ROOM_FULL');

    await new Promise((r) => setTimeout(r, 1100));
    const friend = await join(s.base, { name: 'friend', roomId });
    expect(friend.seat.roomId).toBe(roomId);
    // The oldest squat was given up for the friend: its late claim is told why.
    const late = new WebSocket(socketUrl(s.base, first[0]!));
    expect(await closeOf(late)).toEqual({ code: CloseCode.SEAT_EXPIRED, reason: 'seat given up: not claimed in time and another player needed it' });
    const [room] = (await s.app.inject({ method: 'GET', url: '/api/rooms' })).json();
    expect(room).toMatchObject({ id: roomId, players: 2, seatsTaken: 16 });
    console.log(`squatted room: friend in after the 1 s grace, room ${room.players} players / ${room.seatsTaken} seats taken`);
    victim.ws.close();
    friend.ws.close();
  }, 20_000);
});
