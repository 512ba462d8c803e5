import { seededRandom, TimeDilation, type ModePlayer, type PlayerInput } from '@tickforge/shared';
import { describe, expect, it } from 'vitest';
import { InputQueue, queuedInput } from './input-queue';

/**
 * A client sending one input per tick on its dilated clock over a link with latency and jitter
 * (order kept, like TCP), and a server applying them from an InputQueue at 30 Hz, with the offset
 * of each tick going back down the link to steer the client's clock. Event by event, no timers.
 */
interface Run {
  /** Per tick after warm-up: inputs applied. */
  appliedPerTick: number[];
  /** Per tick: ms from sending the input applied to the tick that applied it (mean). */
  latency: Array<{ t: number; ms: number }>;
  queue: InputQueue<number>;
  /** Per tick: queue length minus allowed depth. */
  backlog: Array<{ t: number; over: number }>;
}

function simulate(o: {
  lagMs: number;
  jitterMs: number;
  seconds: number;
  seed?: number;
  /** A link stall: everything sent during [at, at + ms) arrives at its end (both directions). */
  linkStall?: { at: number; ms: number };
  /** The server is frozen during [at, at + ms), then runs up to 5 ticks at once and skips the rest. */
  serverStall?: { at: number; ms: number };
  /** Client clock error (its 30 Hz is this much fast). */
  clockSkew?: number;
}): Run {
  const rate = 30;
  const I = 1000 / rate;
  const random = seededRandom(o.seed ?? 7);
  const queue = new InputQueue<number>({ tickRate: rate });
  const dilation = new TimeDilation();
  const player: ModePlayer = { id: 1, name: 'p' };
  const up: Array<{ at: number; seq: number; sentAt: number }> = [];
  const down: Array<{ at: number; offset: number }> = [];
  let upLast = 0;
  let downLast = 0;
  const stallEnd = (t: number) => (o.linkStall && t >= o.linkStall.at && t < o.linkStall.at + o.linkStall.ms ? o.linkStall.at + o.linkStall.ms : t);
  const delay = (t: number, last: number) => Math.max(last, stallEnd(t) + o.lagMs / 2 + random() * o.jitterMs);
  const sentAt = new Map<number, number>();
  let nextSend = random() * I;
  let seq = 0;
  let tick = 0;
  let nextTick = I;
  const out: PlayerInput<number>[] = [];
  const run: Run = { appliedPerTick: [], latency: [], queue, backlog: [] };
  const end = o.seconds * 1000;
  for (;;) {
    const t = Math.min(nextSend, nextTick, up[0]?.at ?? Infinity, down[0]?.at ?? Infinity);
    if (t > end) break;
    if (t === nextSend) {
      seq++;
      sentAt.set(seq, t);
      upLast = delay(t, upLast);
      up.push({ at: upLast, seq, sentAt: t });
      nextSend += dilation.interval(I) / (1 + (o.clockSkew ?? 0));
    } else if (up[0]?.at === t) {
      const m = up.shift()!;
      queue.push(queuedInput(player, m.seq, m.seq, 0, t));
    } else if (down[0]?.at === t) {
      dilation.observe(down.shift()!.offset);
    } else {
      // Server ticks; during a server stall they wait, then at most 5 run and the rest are skipped.
      let now = t;
      let due = 1;
      if (o.serverStall && t >= o.serverStall.at && t < o.serverStall.at + o.serverStall.ms) {
        now = o.serverStall.at + o.serverStall.ms;
        due = Math.floor((now - t) / I) + 1;
      }
      const skipped = Math.max(0, due - 5);
      tick += skipped;
      for (let i = 0; i < Math.min(due, 5); i++) {
        tick++;
        out.length = 0;
        queue.takeDue(tick, now, out);
        run.appliedPerTick.push(out.length);
        for (const f of out) run.latency.push({ t: now, ms: now - sentAt.get(f.seq)! });
        run.backlog.push({ t: now, over: queue.length - queue.allowedDepth });
        downLast = Math.max(downLast, stallEnd(now) + o.lagMs / 2 + random() * o.jitterMs);
        down.push({ at: downLast, offset: Math.max(-127, Math.min(127, Math.round(queue.offsetMs))) });
      }
      nextTick = (tick + 1) * I;
      if (nextTick <= now) nextTick = now + 0.001;
    }
  }
  return run;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const latencyBetween = (r: Run, from: number, to: number) => mean(r.latency.filter((l) => l.t >= from && l.t < to).map((l) => l.ms));
const ticksBetween = (r: Run, from: number, to: number) => r.appliedPerTick.slice(Math.round(from / (1000 / 30)), Math.round(to / (1000 / 30)));

describe('the server input buffer with time dilation', () => {
  for (const [lag, jitter] of [
    [0, 2],
    [150, 30],
    [250, 80],
  ] as const) {
    it(`applies exactly one input every tick at lag ${lag} ms, jitter ${jitter} ms (after a 4 s warm-up)`, () => {
      const r = simulate({ lagMs: lag, jitterMs: jitter, seconds: 24 });
      const steady = ticksBetween(r, 4000, 24000);
      expect(steady.filter((n) => n === 0).length).toBe(0); // no stand-still tick
      expect(steady.filter((n) => n > 1).length).toBe(0); // no double step
      expect(r.queue.dropped).toBe(0);
      // The wait is about a quarter tick plus the jitter, not more.
      expect(latencyBetween(r, 4000, 24000) - lag / 2 - jitter / 2).toBeLessThan(12 + jitter * 1.1);
    });
  }

  it('follows a client clock that runs 0.5% fast or slow', () => {
    for (const skew of [0.005, -0.005]) {
      const r = simulate({ lagMs: 150, jitterMs: 30, seconds: 30, clockSkew: skew });
      const steady = ticksBetween(r, 5000, 30000);
      expect(steady.filter((n) => n !== 1).length).toBe(0);
    }
  });

  it('recovers from a 400 ms link spike within a second, at the latency it had before', () => {
    const r = simulate({ lagMs: 150, jitterMs: 30, seconds: 14, linkStall: { at: 8000, ms: 400 } });
    const before = latencyBetween(r, 5000, 8000);
    const back = r.backlog.find((b) => b.t > 8400 && r.backlog.filter((c) => c.t >= b.t && c.t < b.t + 1000).every((c) => c.over <= 0));
    expect(back!.t - 8400).toBeLessThan(1000);
    expect(Math.abs(latencyBetween(r, 10000, 14000) - before)).toBeLessThan(10);
    expect(r.queue.dropped).toBe(0); // all caught up with extra steps: the prediction stays exact
  });

  for (const kind of ['linkStall', 'serverStall'] as const) {
    it(`recovers from a 3.5 s ${kind === 'linkStall' ? 'link' : 'server'} stall within about a second`, () => {
      const r = simulate({ lagMs: 150, jitterMs: 30, seconds: 18, [kind]: { at: 8000, ms: 3500 } });
      const before = latencyBetween(r, 5000, 8000);
      const back = r.backlog.find((b) => b.t > 11500 && r.backlog.filter((c) => c.t >= b.t && c.t < b.t + 1000).every((c) => c.over <= 0));
      expect(back!.t - 11500).toBeLessThan(1200);
      // Back within half a tick 2.5 s after the stall (it was ~300 ms above for good before the buffer).
      expect(Math.abs(latencyBetween(r, 14000, 18000) - before)).toBeLessThan(15);
      // Never more steps than ticks: over the whole run, inputs applied ≤ ticks run and skipped.
      expect(r.queue.applied).toBeLessThanOrEqual(18 * 30);
    });
  }
});
