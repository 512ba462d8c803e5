/**
 * WebSocket ping control frames (issue 12 point 2): answered under the PING message's own limit
 * (5/s, a burst of 10), a flood closed 1008 with a reason, no reconnection grace for the flooder,
 * its socket cut a second later, and the room's other player never misses a tick.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, ServerMessage, decodeServerMessage, matchmake, reconnectUrl } from '@tickforge/shared';
import { closeOf, join, startServer, waitFor, type TestServer } from '../support/server';
import { CpuTimeline, pausesIn } from './cpu-timeline';
import { RawWebSocket } from './raw-socket';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `n` masked client control frames (ping 0x9, pong 0xa), back to back in one buffer. */
function controlFrames(n: number, opcode = 0x9): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const mask = randomBytes(4);
    const payload = Buffer.from([1, 2, 3, 4].map((b, j) => b ^ mask[j]!));
    frames.push(Buffer.from([0x80 | opcode, 0x80 | 4]), mask, payload);
  }
  return Buffer.concat(frames);
}
const pings = (n: number) => controlFrames(n, 0x9);

describe('WebSocket ping frames', () => {
  it('pipelined pings: a burst is answered, the flood is closed 1008 with a reason, no grace, the socket cut; CPU bounded; the other player misses no tick', async () => {
    server = await startServer({ reconnectGraceSeconds: 20 });
    const s = server;
    const arrivals: Array<{ tick: number; at: number }> = [];
    const good = await join(s.base, { name: 'good' }, { onPatch: (_c, tick) => arrivals.push({ tick, at: performance.now() }) });
    const seat = await matchmake(s.base, { mode: 'arena', roomId: good.seat.roomId });
    const raw = await RawWebSocket.open(s.port, `/ws?token=${encodeURIComponent(seat.token)}`);
    const welcome = await waitFor('WELCOME', () => raw.messages[0]);
    const decoded = decodeServerMessage(welcome.payload);
    if (decoded.type !== ServerMessage.WELCOME) throw new Error('no WELCOME');
    const room = s.app.rooms.get(good.seat.roomId)!;

    // Built once: the process CPU measured below should be the server's, not the test's frame building.
    const batch = pings(2000);
    const cpu = new CpuTimeline();
    cpu.start();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    // Keep flooding, 2,000 pings every 10 ms, until the server cuts the socket.
    let sent = 0;
    const flood = setInterval(() => {
      if (raw.socket.destroyed || raw.socket.closed) return;
      raw.socket.write(batch);
      sent += 2000;
    }, 10);
    const closeFrame = await waitFor('close frame', () => raw.close, 3000);
    const cut = await waitFor('socket cut', () => raw.socket.closed || undefined, 3000);
    clearInterval(flood);
    const took = performance.now() - t0;
    const used = process.cpuUsage(c0);
    cpu.stop();
    const pongs = raw.frames.filter((f) => f.opcode === 0x0a).length;
    const cpuMs = (used.user + used.system) / 1000;
    console.log(
      `ping flood: ${sent} pings sent, ${pongs} pongs, close ${closeFrame.code} "${closeFrame.reason}", cut after ${took.toFixed(0)} ms, process CPU ${cpuMs.toFixed(0)} ms`,
    );
    expect(closeFrame).toEqual({ code: CloseCode.POLICY_VIOLATION, reason: 'ping flood (WebSocket ping frames)' });
    expect(cut).toBe(true);
    expect(pongs).toBeGreaterThanOrEqual(10);
    expect(pongs).toBeLessThanOrEqual(12);
    expect(took).toBeLessThan(2500);
    // The whole flood, while it lasted, cost under a third of a core (before: 96% of a core for as long as it went on).
    expect(cpuMs).toBeLessThan(took / 3);

    // No reconnection grace: the flooder is not held, and its token takes nothing back.
    expect(room.heldCount).toBe(0);
    const back = new WebSocket(reconnectUrl(s.base, decoded.reconnectToken!));
    expect(await closeOf(back)).toEqual({
      code: CloseCode.SEAT_EXPIRED,
      reason: 'no player to take back: the reconnection grace ran out or the player left',
    });

    // The well-behaved player beside it.
    const during = arrivals.filter((a) => a.at >= t0 && a.at <= t0 + took);
    const maxGap = Math.max(...during.slice(1).map((p, i) => p.tick - during[i]!.tick));
    const pauses = pausesIn(during, cpu, { tickMs: 1000 / 30, maxTicks: 3, slackMs: 50 });
    console.log(`well-behaved player during the flood: ${during.length} patches, max gap ${maxGap} ticks, pauses ${JSON.stringify(pauses.all)}`);
    expect(pauses.serverCaused).toEqual([]);
    expect(good.game.closed).toBeUndefined();
    good.ws.close();
  }, 20_000);

  it('unsolicited pong frames share the limit: a flood is closed 1008 with its own reason, no grace, the socket cut', async () => {
    server = await startServer({ reconnectGraceSeconds: 20 });
    const s = server;
    const seat = await matchmake(s.base, { mode: 'arena' });
    const raw = await RawWebSocket.open(s.port, `/ws?token=${encodeURIComponent(seat.token)}`);
    await waitFor('WELCOME', () => raw.messages[0]);
    const room = s.app.rooms.get(seat.roomId)!;
    const t0 = performance.now();
    raw.socket.write(controlFrames(500, 0xa));
    const closeFrame = await waitFor('close frame', () => raw.close, 3000);
    const cut = await waitFor('socket cut', () => raw.socket.closed || undefined, 3000);
    console.log(`pong flood: 500 pongs, close ${closeFrame.code} "${closeFrame.reason}", cut after ${(performance.now() - t0).toFixed(0)} ms`);
    expect(closeFrame).toEqual({ code: CloseCode.POLICY_VIOLATION, reason: 'pong flood (WebSocket pong frames)' });
    expect(cut).toBe(true);
    expect(room.heldCount).toBe(0);
  });

  it('a steady 4 pings a second is answered, every one', async () => {
    server = await startServer();
    const p = await join(server.base);
    let pongs = 0;
    p.ws.on('pong', () => pongs++);
    for (let i = 0; i < 8; i++) {
      p.ws.ping();
      await new Promise((r) => setTimeout(r, 250));
    }
    await waitFor('8 pongs', () => pongs === 8 || undefined, 2000);
    expect(p.game.closed).toBeUndefined();
    p.ws.close();
  });
});
