/**
 * PATCH and RESYNC headers carry the tick and the ack mod 65536 (shared/src/protocol/patch-clock.ts).
 * Over real sockets, on a room whose tick passes 65536: the client reads the full tick and ack
 * (its STATE_HASH checks, which name the full u32 tick, keep matching the server's state), and a
 * stall of the server of 65536 ticks or more closes its clients (4011) instead of sending them a
 * tick they would misread, while a newcomer is welcomed with the full tick. Time is a ManualClock:
 * `stall` moves it as a blocked process would, and the tick loop then skips the ticks it missed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseReasons, GameClient, PATCH_WRAP, matchmake, socketUrl, type MatchmakeRequest } from '@tickforge/shared';
import { arena, type ArenaState } from '@tickforge/shared/modes/arena/index';
import { ManualClock } from '@tickforge/server';
import { startServer, stepTicksUntil, type TestServer } from './support/server';

const TICK_MS = 1000 / 30;

let clock: ManualClock;
let server: TestServer;

beforeEach(async () => {
  clock = new ManualClock();
  server = await startServer({ heartbeatMs: 600_000 }, { clock });
});
afterEach(() => server.close());

/** Steps the server one tick at a time, letting the sockets deliver in between, until `check` holds. */
const stepUntil = <T>(what: string, check: () => T | undefined | false, maxTicks?: number) => stepTicksUntil(clock, TICK_MS, what, check, maxTicks);

/** Lets the sockets deliver without moving time (up to 5 s of real time). */
async function settle(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  if (!check()) throw new Error(`no ${what} within 5 s`);
}

async function join(request: Omit<MatchmakeRequest, 'mode'> = {}) {
  const seat = await matchmake(server.base, { mode: 'arena', ...request });
  const ws = new WebSocket(socketUrl(server.base, seat));
  const game = new GameClient<ArenaState, any>(arena, ws as never);
  await stepUntil('WELCOME', () => game.welcomed || game.closed);
  if (!game.welcomed) throw new Error(`closed before WELCOME: ${JSON.stringify(game.closed)}`);
  return { seat, ws, game };
}

/** The server blocked for `ticks` ticks, then its loop runs again (one timer firing). */
function stallFor(ticks: number): void {
  clock.stall(ticks * TICK_MS);
  clock.advance(TICK_MS);
}

describe('patch headers across the u16 wrap', () => {
  it('a client reads the full tick and ack past tick 65536, after a gap of 65,000 ticks, and its state hashes keep matching', async () => {
    const a = await join({ create: true });
    const room = server.app.rooms.get(a.seat.roomId)!;
    stallFor(PATCH_WRAP - 40); // a gap just short of the wrap is still read exactly
    await settle('the patch after the stall', () => a.game.tick === room.tick);
    expect(room.tick).toBeGreaterThan(PATCH_WRAP - 40);
    expect(room.tick).toBeLessThan(PATCH_WRAP);
    const hashesBefore = a.game.hashesChecked;

    // Across the wrap, one input a tick: every tick and ack the client reads is the server's.
    const seen: Array<[number, number]> = [];
    const expected: Array<[number, number]> = [];
    const client = () => [...room.connectedClients].find((c) => c.player.id === a.game.playerId)!;
    while (room.tick < PATCH_WRAP + 40) {
      a.game.sendInput({ dx: 1, dy: room.tick % 2, aim: (room.tick % 60) / 10, fire: room.tick % 7 === 0 });
      await settle('the input on the server', () => client().lastSeq === a.game.seq);
      clock.advance(TICK_MS);
      await settle('the patch', () => a.game.tick === room.tick);
      seen.push([a.game.tick, a.game.ack]);
      expected.push([room.tick, client().inputs.ack]);
    }
    expect(seen).toEqual(expected);
    expect(seen.some(([tick]) => tick === PATCH_WRAP)).toBe(true);
    expect(a.game.ack).toBeGreaterThan(0);
    // STATE_HASH names the full u32 tick: checked only when the unwrapped tick equals it.
    expect(a.game.hashesChecked - hashesBefore).toBeGreaterThanOrEqual(4);
    expect(a.game.desyncs).toBe(0);
    expect(a.game.closed).toBeUndefined();
  });

  it('after a stall of 65536 ticks or more the server drops its clients (4011) rather than send a tick they would misread', async () => {
    const a = await join({ create: true });
    const room = server.app.rooms.get(a.seat.roomId)!;
    const before = room.tick;
    stallFor(PATCH_WRAP + 10);
    await settle('the close', () => a.game.closed !== undefined);
    const [code, reason] = CloseReasons.serverStalled;
    expect(a.game.closed).toEqual({ code, reason });
    expect(a.game.tick).toBe(before); // it was sent nothing it could misread
    expect(room.heldCount).toBe(1); // a drop: the player is held for reconnection

    // A newcomer's WELCOME carries the full u32 tick; its patches go on from there.
    const b = await join({ roomId: a.seat.roomId });
    expect(b.game.tick).toBeGreaterThan(PATCH_WRAP);
    await stepUntil('patches after the welcome', () => b.game.patches >= 20);
    expect(b.game.tick).toBe(room.tick);
    expect(b.game.closed).toBeUndefined();
  });
});
