/**
 * A game mode that throws takes down only its own room (issue 3, point 7), on a real server over
 * real sockets: its players are closed with 4010 and a reason naming the mode, the error is logged
 * with mode, room and tick, and the other rooms — of another mode and of the same one — keep
 * ticking at their rate.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { schema, t } from '@colyseus/schema';
import { CloseCode, defineInput, defineMode, field, matchmake, MatchmakeError } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { joinLive, patchesBetween, startServer, waitFor, type LiveServer } from './live-server';

const FuseState = schema({ players: t.map(schema({ x: t.uint16(), y: t.uint16() }, 'FusePlayer')), ticks: t.uint32().default(0) }, 'FuseState');

/** A test mode whose tick throws when any player sends `explode`. */
const fuse = defineMode({
  name: 'fuse',
  title: 'Fuse',
  tickRate: 30,
  maxPlayers: 4,
  State: FuseState,
  input: defineInput({ explode: field.bool() }),
  join() {},
  leave() {},
  tick(state, inputs) {
    state.ticks += 1;
    if (inputs.some((i) => i.input.explode)) throw new Error('fuse: exploded on request');
  },
});

/** A mode whose create hook throws: matchmaking into it must fail cleanly and leave no room behind. */
const dud = defineMode({
  name: 'dud',
  title: 'Dud',
  tickRate: 30,
  maxPlayers: 4,
  State: FuseState,
  input: defineInput({ explode: field.bool() }),
  create() {
    throw new Error('dud: cannot create');
  },
  join() {},
  leave() {},
  tick() {},
});

let server: LiveServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a throwing mode is isolated', () => {
  it('closes only its room with 4010, logs mode/room/tick, and every other room keeps its tick rate', async () => {
    server = await startServer([arena, fuse, dud]);
    const arenaPlayer = await joinLive(server, arena, { name: 'calm' });
    const doomed = await joinLive(server, fuse, { name: 'doomed' });
    const bystander = await joinLive(server, fuse, { name: 'bystander', roomId: doomed.seat.roomId });
    const sibling = await joinLive(server, fuse, { name: 'sibling', create: true });
    expect(sibling.seat.roomId).not.toBe(doomed.seat.roomId);
    await waitFor('patches in every room', () => [arenaPlayer, doomed, sibling].every((p) => p.patchTimes.length > 3));

    doomed.client.sendInput({ explode: true });
    const [closedA, closedB] = await Promise.all([doomed.closed, bystander.closed]);
    const crashedAt = performance.now();
    for (const c of [closedA, closedB]) {
      expect(c.code).toBe(CloseCode.ROOM_CRASHED);
      expect(c.reason).toMatch(/game mode "fuse" failed at tick \d+/);
    }

    const record = server.logs.find((l) => l.msg === 'game mode threw; closing its room');
    expect(record).toMatchObject({ level: 50, mode: 'fuse', room: doomed.seat.roomId });
    expect(record?.tick).toEqual(expect.any(Number));
    expect(record?.tick).toBeGreaterThan(0);
    expect(closedA.reason).toContain(`tick ${record?.tick}`);
    expect((record?.err as { message?: string }).message).toBe('fuse: exploded on request');
    expect((record?.err as { stack?: string }).stack).toContain('mode-isolation.test.ts');

    // The other rooms keep ticking at 30 Hz. Tolerant bounds: two cores shared with other test runs.
    await new Promise((r) => setTimeout(r, 1100));
    const window = [crashedAt + 50, crashedAt + 1050] as const;
    const arenaRate = patchesBetween(arenaPlayer, ...window);
    const siblingRate = patchesBetween(sibling, ...window);
    expect(arenaRate).toBeGreaterThanOrEqual(22);
    expect(arenaRate).toBeLessThanOrEqual(38);
    expect(siblingRate).toBeGreaterThanOrEqual(22);
    expect(siblingRate).toBeLessThanOrEqual(38);
    expect(arenaPlayer.client.closed).toBeUndefined();
    expect(sibling.client.closed).toBeUndefined();
    expect(sibling.client.state.ticks).toBeGreaterThan(30);

    // The crashed room is gone from the host; the process still serves, and the mode still plays.
    const rooms = (await (await fetch(`${server.base}/api/rooms?mode=fuse`)).json()) as Array<{ id: string }>;
    expect(rooms.map((r) => r.id)).toEqual([sibling.seat.roomId]);
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
    const fresh = await joinLive(server, fuse, { name: 'fresh', create: true });
    await waitFor('a patch in a fresh fuse room', () => fresh.patchTimes.length > 0);
  });

  it('a create hook that throws fails matchmaking with a clear error and leaves no room behind', async () => {
    server = await startServer([arena, dud]);
    for (let i = 0; i < 2; i++) {
      const refused = await matchmake(server.base, { mode: 'dud', name: 'x' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(MatchmakeError);
      expect(refused).toMatchObject({ status: 500, code: 'TF_ERR_ROOM_CRASHED' });
      expect((refused as Error).message).toContain('"dud"');
    }
    expect(server.app.rooms.size).toBe(0);
    const record = server.logs.find((l) => l.msg === 'game mode threw; closing its room');
    expect(record).toMatchObject({ mode: 'dud', tick: 0 });
    const ok = await joinLive(server, arena, { name: 'fine' });
    expect(ok.client.welcomed).toBe(true);
  });
});
