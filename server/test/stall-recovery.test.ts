/**
 * Stalls, end to end through a real Room (its input queue, its flood limiter, its tick loop) on a
 * steppable clock: a player on a 150 ms ± 30 ms link whose client runs its input clock with time
 * dilation from the patch headers, as the browser does. A 400 ms link spike, a 3.5 s link stall
 * and a 3.5 s server stall: nobody is kicked, the backlog is back to target within about a second,
 * and input-to-server latency returns to what it was. The figures are printed for the record.
 */
import { describe, expect, it } from 'vitest';
import { ServerMessage, TimeDilation, seededRandom } from '@tickforge/shared';
import { arena, type ArenaInput } from '@tickforge/shared/modes/arena/index';
import { createHarness } from '../src/harness';

const RATE = 30;
const I = 1000 / RATE;

type Stall = { kind: 'link' | 'server'; at: number; ms: number };

function play(stall: Stall, seconds = 16) {
  const random = seededRandom(9);
  const h = createHarness(arena, { seed: 2 });
  const p = h.join('mover');
  h.step();
  const client = () => [...h.room.connectedClients][0]!;
  const dilation = new TimeDilation();
  const up: Array<{ at: number; input: ArenaInput }> = [];
  const down: Array<{ at: number; offset: number }> = [];
  let upLast = 0;
  let downLast = 0;
  const inLinkStall = (t: number) => stall.kind === 'link' && t >= stall.at && t < stall.at + stall.ms;
  const oneWay = (t: number, last: number) => Math.max(last, (inLinkStall(t) ? stall.at + stall.ms : t) + 75 + random() * 30);
  const sentAt: number[] = [];
  const latency: Array<{ t: number; ms: number }> = [];
  const backlog: Array<{ t: number; over: number }> = [];
  let seen = p.received.length;
  let acked = 0;
  let nextSend = h.clock.now() + 5;
  let frozen = false;
  const onTicks = () => {
    const now = h.clock.now();
    const c = client();
    for (let s = acked + 1; s <= c.inputs.ack; s++) latency.push({ t: now, ms: now - sentAt[s - 1]! }); // the k-th input sent is sequence k
    acked = c.inputs.ack;
    backlog.push({ t: now, over: c.inputs.length - c.inputs.allowedDepth });
    for (; seen < p.received.length; seen++) {
      const m = p.received[seen]!;
      if (m.type === ServerMessage.PATCH) down.push({ at: (downLast = oneWay(now, downLast)), offset: m.bufferOffsetMs });
    }
  };
  for (let t = h.clock.now(); t < seconds * 1000; t += 1) {
    // The client: its dilated 30 Hz input clock, and the patch headers it receives.
    while (down.length > 0 && down[0]!.at <= t) dilation.observe(down.shift()!.offset);
    if (t >= nextSend) {
      nextSend += dilation.interval(I);
      sentAt.push(t);
      up.push({ at: (upLast = oneWay(t, upLast)), input: { dx: Math.floor(t / 500) % 2 ? 1 : -1, dy: 0, aim: 0, fire: false } });
    }
    // The server: a blocked event loop during a server stall (what arrives waits in the socket);
    // then, as Node does, timers first (one catch-up of at most 5 ticks, the rest skipped), then
    // everything that arrived meanwhile.
    if (stall.kind === 'server' && t >= stall.at && t < stall.at + stall.ms) {
      if (!frozen) h.clock.stall(stall.at + stall.ms - h.clock.now());
      frozen = true;
      continue;
    }
    while (up.length > 0 && up[0]!.at <= t) p.input(up.shift()!.input);
    const before = h.tick;
    h.clock.advance(Math.max(0, t + 1 - h.clock.now()));
    if (h.tick !== before) onTicks();
  }
  return { h, p, latency, backlog, queue: client().inputs, closed: p.closed };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('recovery after stalls, through a real room', () => {
  for (const stall of [
    { kind: 'link', at: 6000, ms: 400 },
    { kind: 'link', at: 6000, ms: 3500 },
    { kind: 'server', at: 6000, ms: 3500 },
  ] as Stall[]) {
    it(`a ${stall.ms} ms ${stall.kind} stall: nobody is kicked, the backlog drains within ~1 s, latency recovers`, () => {
      const r = play(stall);
      expect(r.closed).toBeUndefined();
      const end = stall.at + stall.ms;
      const before = mean(r.latency.filter((l) => l.t > 3000 && l.t < stall.at).map((l) => l.ms));
      const after = mean(r.latency.filter((l) => l.t > end + 3000).map((l) => l.ms));
      const back = r.backlog.find((b) => b.t > end && r.backlog.filter((c) => c.t >= b.t && c.t < b.t + 1000).every((c) => c.over <= 0))!;
      console.log(
        `${stall.ms} ms ${stall.kind} stall: backlog back to target ${(back.t - end).toFixed(0)} ms after it ended; ` +
          `input-to-server latency ${before.toFixed(0)} ms before, ${after.toFixed(0)} ms from 3 s after; ` +
          `extra steps ${r.queue.extraSteps}, dropped ${r.queue.dropped}, stand-still ticks ${r.queue.standStill}`,
      );
      expect(back.t - end).toBeLessThan(1200);
      expect(Math.abs(after - before)).toBeLessThan(15);
    });
  }

  it('a real flood (more inputs than the elapsed time allows) still closes 1008, and never buys speed', () => {
    const h = createHarness(arena, { seed: 2 });
    const p = h.join('flooder');
    h.step();
    const me = h.state.players.get(String(p.id))!;
    Object.assign(me, { x: 100, y: 1000 });
    let ticks = 0;
    while (!p.closed && ticks < 30 * RATE) {
      for (let k = 0; k < 3; k++) p.input({ dx: 1, dy: 0, aim: 0, fire: false }); // three frames a tick
      h.step();
      ticks++;
      // Catch-up only ever repays ticks without input: never more steps than ticks since it joined.
      expect(me.x - 100).toBeLessThanOrEqual((200 / RATE) * (ticks + 1) + 1e-6);
    }
    expect(p.closed).toEqual({ code: 1008, reason: 'input flood' });
    expect(ticks).toBeLessThan(10 * RATE);
  });
});
