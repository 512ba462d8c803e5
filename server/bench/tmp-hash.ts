/**
 * What interest costs, without sockets (issue 16): bigworld with 200 players in one room, with
 * interest (`bigworld`: each client's patch is the shared part plus its own view) and without it
 * (`bigworld-open`: one shared patch for everyone), run back to back and interleaved `rounds`
 * times. The players behave as the reference workload's bots (a new random direction every
 * 500 ms, about two shots a second, seeded), spread over the world at random as they join.
 *
 * Per run: downstream patch bytes per client-second (the patch header included: 6 bytes since
 * protocol 6, 10 when the figures in bench/results were taken; WebSocket framing
 * excluded: +2 B a patch under 126 B, +4 B above), the room's CPU per client-second (user + system
 * time of this process during the measured ticks, divided by clients and seconds: rules, interest,
 * encoding and per-client framing into memory; socket writes are not in it and are the same count
 * with or without interest), and the tick's wall time p50 / p99 / max.
 *
 *   node --import tsx server/bench/interest-cost.ts [players=200] [rounds=2] [seconds=20]
 */
import { PATCH_HEADER_BYTES, encodeInput, seededRandom, type ModeDefinition } from '@tickforge/shared';
import { bigworld, bigworldOpen } from '@tickforge/shared/modes/bigworld/index';
import { ManualClock } from '../src/clock';
import { Room, type ClientSink } from '../src/room';

const [players = 200, rounds = 2, seconds = 20] = process.argv.slice(2).map(Number);
const RATE = 30;
const WARMUP_TICKS = 5 * RATE;
const MEASURED_TICKS = seconds * RATE;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

import { PerformanceObserver, performance as perf } from 'node:perf_hooks';
const gcs: [number, number, number][] = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcs.push([e.startTime, e.duration, (e as any).detail?.kind ?? 0]); }).observe({ entryTypes: ['gc'] });
function run(mode: ModeDefinition) {
  const spans: [number, number][] = [];
  const clock = new ManualClock();
  let measuring = false;
  let bytes = 0;
  const tickMs: number[] = []; const hashTicks: number[] = []; const otherTicks: number[] = [];
  const room = new Room({ id: 'bench', mode: mode as never, clock, seed: 1, seatTtlMs: 60_000 });
  const random = seededRandom(42);
  const clients = [];
  for (let i = 0; i < players; i++) {
    const sink: ClientSink = {
      send() {},
      sendPatch(_type, _tick, _ack, body) {
        const frame = Buffer.allocUnsafe(PATCH_HEADER_BYTES + body.byteLength); // what a socket is handed
        frame.set(body, PATCH_HEADER_BYTES);
        if (measuring) bytes += frame.byteLength;
      },
      close() {},
      bufferedAmount: 0,
    };
    const attached = room.attach(room.reserveSeat(`bot${i}`).id, sink);
    if (!attached.ok) throw new Error(attached.reason);
    clients.push({ client: attached.client, seq: 0, dx: 0, dy: 0, nextTurn: 0, nextShot: random() * 1000 });
  }
  room.start();
  // Every input frame of the run, encoded before it starts: encoding them is the clients' work, and
  // the CPU measured below is the room's (receiving, decoding and applying them included).
  const frames: Uint8Array[][] = [];
  for (let t = 0; t < WARMUP_TICKS + MEASURED_TICKS; t++) {
    const now = (t * 1000) / RATE;
    frames.push(
      clients.map((c) => {
        if (now >= c.nextTurn) {
          c.dx = Math.floor(random() * 3) - 1;
          c.dy = Math.floor(random() * 3) - 1;
          c.nextTurn += 500;
        }
        let fire = false;
        if (now >= c.nextShot) {
          fire = true;
          c.nextShot += 250 + random() * 500;
        }
        const aim = fire ? random() * Math.PI * 2 : 0;
        return encodeInput(mode.input, ++c.seq, { dx: c.dx, dy: c.dy, aim, fire });
      }),
    );
  }
  let cpu = { user: 0, system: 0 };
  for (let t = 0; t < WARMUP_TICKS + MEASURED_TICKS; t++) {
    if (t === WARMUP_TICKS) {
      measuring = true;
      cpu = process.cpuUsage();
    }
    const due = frames[t]!;
    for (let i = 0; i < clients.length; i++) room.receive(clients[i]!.client, due[i]!);
    const started = performance.now();
    clock.advance(1000 / RATE);
    if (measuring) { const d = performance.now() - started; spans.push([started, d]); tickMs.push(d); ((t + 1) % 15 === 0 ? hashTicks : otherTicks).push(d); }
  }
  const used = process.cpuUsage(cpu);
  { const sorted = [...spans].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(spans.length * 0.02));
    let withGc = 0; let gcMs = 0;
    for (const [s0, d] of sorted) { const g = gcs.filter(([gs, gd]) => gs < s0 + d && gs + gd > s0); if (g.length) { withGc++; gcMs += g.reduce((a, x) => a + x[1], 0); } }
    console.log(mode.name, 'slowest 2%:', sorted.length, 'with GC', withGc, 'gc ms in them', gcMs.toFixed(1), 'durations', sorted.slice(0, 8).map((x) => x[1].toFixed(1)).join(' '), 'total gcs', gcs.length, 'gc ms total', gcs.reduce((a, x) => a + x[1], 0).toFixed(0)); gcs.length = 0; } const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!; console.log(mode.name, "hash-tick median", med(hashTicks).toFixed(3), "others", med(otherTicks).toFixed(3), "p99 others", otherTicks[Math.floor(otherTicks.length*0.99)]!.toFixed(3), "share of hash ticks among slowest 2%", (() => { const all = tickMs.map((d, i) => [d, i] as const).sort((a, b) => b[0] - a[0]).slice(0, Math.ceil(tickMs.length * 0.02)); return all.filter(([, i]) => (i + WARMUP_TICKS + 1) % 15 === 0).length + "/" + all.length; })());
  room.dispose();
  const ms = tickMs.sort((a, b) => a - b);
  return {
    bytesPerClientS: bytes / players / seconds,
    cpuMsPerClientS: (used.user + used.system) / 1000 / players / seconds,
    tick: [percentile(ms, 50), percentile(ms, 99), ms.at(-1)!],
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const os = await import('node:os');
console.log(
  `${players} players, ${rounds} rounds, ${seconds} s measured each; load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const results: Record<string, ReturnType<typeof run>[]> = { 'bigworld-open': [], bigworld: [] };
for (let r = 0; r < rounds; r++) {
  for (const mode of [bigworldOpen, bigworld] as ModeDefinition[]) {
    const res = run(mode);
    results[mode.name]!.push(res);
    console.log(
      `${mode.name.padEnd(14)} bytes/client-s ${res.bytesPerClientS.toFixed(0).padStart(6)} | CPU ms/client-s ${res.cpuMsPerClientS.toFixed(3)}` +
        ` | tick ms p50 ${res.tick[0]!.toFixed(3)} p99 ${res.tick[1]!.toFixed(3)} max ${res.tick[2]!.toFixed(3)}`,
    );
  }
}
const m = (name: string, f: (r: ReturnType<typeof run>) => number) => median(results[name]!.map(f));
const bytesRatio = m('bigworld', (r) => r.bytesPerClientS) / m('bigworld-open', (r) => r.bytesPerClientS);
const cpuRatio = m('bigworld', (r) => r.cpuMsPerClientS) / m('bigworld-open', (r) => r.cpuMsPerClientS);
console.log(
  `medians: bytes/client-s ${m('bigworld', (r) => r.bytesPerClientS).toFixed(0)} vs ${m('bigworld-open', (r) => r.bytesPerClientS).toFixed(0)} (ratio ${bytesRatio.toFixed(3)}),` +
    ` CPU ms/client-s ${m('bigworld', (r) => r.cpuMsPerClientS).toFixed(3)} vs ${m('bigworld-open', (r) => r.cpuMsPerClientS).toFixed(3)} (ratio ${cpuRatio.toFixed(2)}),` +
    ` tick p99 ${m('bigworld', (r) => r.tick[1]!).toFixed(3)} vs ${m('bigworld-open', (r) => r.tick[1]!).toFixed(3)} ms; load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
