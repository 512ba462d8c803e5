/**
 * Gateways (GATEWAYS > 0, transport/gateway/): admitted game sockets are handed to a gateway
 * process, which writes each tick's patches and reads the client's frames. Over real sockets:
 * play goes on as in one process, the hostile cases close only the offender with the same codes,
 * a killed gateway costs its players their connection (held for reconnection) and nothing else,
 * and shutdown reaches the players it holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, CloseReasons, GameClient, ServerMessage, decodeServerMessage, matchmake, reconnectUrl, socketUrl } from '@tickforge/shared';
import type { RoomClient } from '@tickforge/server';
import { arena, type ArenaInput, type ArenaState } from '@tickforge/shared/modes/arena/index';
import { ballast } from './hostile/ballast-mode';
import { RawWebSocket } from './hostile/raw-socket';
import { closeOf, join, startServer, waitFor, type TestServer } from './support/server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer({ gateways: 1, heartbeatMs: 200 }, { seed: 1 });
});
afterEach(() => server.close());

const right: ArenaInput = { dx: 1, dy: 0, aim: 0, fire: false };
const gateways = () => server.app.gateways!;

/** Two players of one room, both welcomed through the gateway. */
async function pair() {
  const a = await join<ArenaInput>(server.base, { name: 'alice', create: true });
  const ticks: number[] = [];
  const b = await join<ArenaInput>(server.base, { name: 'bob', roomId: a.seat.roomId }, { onPatch: (c) => void ticks.push(c.tick) });
  return { a, b, bobTicks: ticks, room: server.app.rooms.get(a.seat.roomId)! };
}

describe('game sockets held by a gateway process', () => {
  it('play as in one process: both welcomed, inputs acknowledged and applied, every tick patched, the traffic counted here', async () => {
    const { a, b, bobTicks, room } = await pair();
    // The sockets are the gateway's: this process's WebSocket server holds none of them.
    expect(gateways().connections).toBe(2);
    expect(server.app.websocketServer.clients.size).toBe(0);
    const startX = (room.state as ArenaState).players.get(String(a.game.playerId))!.x;
    const ticks = bobTicks;
    ticks.length = 0;
    for (let i = 0; i < 20; i++) {
      a.game.sendInput(right);
      await new Promise((r) => setTimeout(r, 33));
    }
    await waitFor('inputs acknowledged', () => a.game.ack === 20);
    const seen = (b.game.state as ArenaState).players.get(String(a.game.playerId))!;
    await waitFor("alice's move seen by bob", () => seen.x > startX + 50);
    // A patch for every tick: none lost or reordered on the way through the gateway.
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(1);
    expect(ticks.length).toBeGreaterThan(15);
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    expect(metrics).toMatch(/^tickforge_gateway_connections 2$/m);
    expect(Number(/^tickforge_gateway_cpu_seconds_total (\S+)$/m.exec(metrics)![1])).toBeGreaterThan(0);
    expect(Number(/^tickforge_ws_messages_in_total (\S+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(20);
    expect(Number(/^tickforge_patches_out_total (\S+)$/m.exec(metrics)![1])).toBeGreaterThan(30);
    // The gateway's heartbeat measures each round trip, and the room's sink has it (the admin API shows it).
    await waitFor('round trips', () => [...room.connectedClients].every((c) => c.sink.rttMs !== undefined));
  });

  it('a text frame closes that client 1003, a ping flood 1008 without grace; the other player goes on', async () => {
    const { a, b, room } = await pair();
    const c = await join<ArenaInput>(server.base, { name: 'carol', roomId: a.seat.roomId });
    const textClosed = closeOf(a.ws);
    a.ws.send('hello');
    expect(await textClosed).toEqual({ code: CloseCode.UNSUPPORTED_DATA, reason: CloseReasons.textFrame[1] });
    const floodClosed = closeOf(c.ws);
    for (let i = 0; i < 200; i++) c.ws.ping();
    expect(await floodClosed).toEqual({ code: CloseCode.POLICY_VIOLATION, reason: CloseReasons.controlPingFlood[1] });
    await waitFor('both gone from the room', () => room.playerCount === 1);
    expect(room.heldCount).toBe(0); // a violation keeps no seat
    const tick = b.game.tick;
    await waitFor('bob still patched', () => b.game.tick > tick + 10);
    await waitFor('the gateway let go of both', () => gateways().connections === 1);
  });

  it('a killed gateway: its players are held for reconnection, a new gateway starts, and they come back', async () => {
    const { a, b, room } = await pair();
    const [pid] = gateways().pids;
    const closes = [closeOf(a.ws), closeOf(b.ws)];
    process.kill(pid!, 'SIGKILL');
    // The network dropped for them (1006): seats held, as for any connection lost without a goodbye.
    expect((await Promise.all(closes)).map((c) => c.code)).toEqual([1006, 1006]);
    await waitFor('both held', () => room.heldCount === 2 && room.playerCount === 0);
    await waitFor('a new gateway', () => gateways().pids.length === 1 && gateways().pids[0] !== pid, 10_000);
    const back = new GameClient(arena, new WebSocket(reconnectUrl(server.base, a.game.reconnectToken)) as never);
    await waitFor('welcomed back', () => back.welcomed || back.closed);
    expect(back.playerId).toBe(a.game.playerId);
    expect(gateways().connections).toBe(1);
    expect(room.heldCount).toBe(1);
  });

  it('shutdown: the players a gateway holds hear 1001 and why, and the gateway exits', async () => {
    const { a, b } = await pair();
    const [pid] = gateways().pids;
    const closes = [closeOf(a.ws), closeOf(b.ws)];
    await server.close();
    expect(await Promise.all(closes)).toEqual([
      { code: CloseCode.GOING_AWAY, reason: CloseReasons.shuttingDown[1] },
      { code: CloseCode.GOING_AWAY, reason: CloseReasons.shuttingDown[1] },
    ]);
    expect(() => process.kill(pid!, 0)).toThrow(); // gone
    server = await startServer({}); // for afterEach
  });
});

describe('a slow reader held by a gateway', () => {
  it('is skipped once the gateway reports its unwritten bytes past the limit, and closed 4011 when it never drains; the other player keeps every tick', async () => {
    await server.close();
    server = await startServer({ gateways: 1 }, { modes: [ballast], limits: { slowReaderTimeoutMs: 2000 } });
    const port = Number(new URL(server.base).port);
    const first = await matchmake(server.base, { mode: 'ballast', name: 'reader' });
    const room = server.app.rooms.get(first.roomId)!;
    const reader = new WebSocket(socketUrl(server.base, first));
    const ticks: number[] = [];
    reader.on('message', (data: Buffer) => {
      if (data[0] === ServerMessage.PATCH) ticks.push(data.readUInt16LE(1));
    });
    await new Promise((r) => reader.once('open', r));
    const seat = await matchmake(server.base, { mode: 'ballast', roomId: first.roomId, name: 'stalls' });
    const raw = await RawWebSocket.open(port, `/ws?token=${encodeURIComponent(seat.token)}`);
    await waitFor('WELCOME', () => raw.messages.length > 0);
    raw.socket.pause();
    const welcome = decodeServerMessage(raw.messages[0]!.payload);
    if (welcome.type !== ServerMessage.WELCOME) throw new Error('first message is not WELCOME');
    const stalled = () => [...room.connectedClients].find((c: RoomClient) => c.player.id === welcome.playerId);
    await waitFor('the gateway reports its unwritten bytes', () => (stalled()?.sink.bufferedAmount ?? 0) > 64 * 1024, 30_000);
    await waitFor('skipped', () => stalled()?.phase === 'resync');
    await waitFor('closed for never draining', () => stalled() === undefined, 10_000);
    raw.socket.resume(); // read what is left, up to the close frame
    await waitFor('close frame', () => raw.close, 15_000);
    expect(raw.close).toEqual({ code: CloseCode.TOO_SLOW, reason: CloseReasons.tooSlowForTooLong[1] });
    const n = ticks.length;
    await waitFor('the reader patched on', () => ticks.length > n + 10);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(1);
    reader.close();
  }, 90_000);
});
