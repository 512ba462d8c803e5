/**
 * The server's per-message and per-tick work without sockets (issue 13's hot path), so a change to
 * it can be measured in isolation from the machine's system calls: 16 players in one arena room on
 * the reference workload's inputs; per input message the time of `room.receive` (decode, sequence
 * and flood checks, queueing), per tick the time of the room's tick (inputs, rules, the encode and
 * each client's frame written into memory), and the bytes allocated per message and per tick.
 * Medians of 5 runs of 30 simulated seconds after 5 s of warm-up.
 *
 *   node --import tsx --expose-gc server/bench/hot-path.ts
 */
import { PATCH_HEADER_BYTES, encodeInput, seededRandom } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { ManualClock } from '../src/clock';
import { Room, type ClientSink } from '../src/room';

const PLAYERS = 16;
const WARMUP_TICKS = 5 * 30;
const MEASURED_TICKS = 30 * 30;
const RUNS = 5;

function once(): { receiveNs: number; tickUs: number; receiveBytes: number; tickBytes: number } {
  const clock = new ManualClock();
  const room = new Room({ id: 'bench', mode: arena as never, clock, seed: 1, seatTtlMs: 60_000 });
  const random = seededRandom(42);
  const clients = [];
  for (let i = 0; i < PLAYERS; i++) {
    const sink: ClientSink = {
      send() {},
      sendPatch(type, tick, ack, body) {
        const frame = Buffer.allocUnsafe(2 + PATCH_HEADER_BYTES + body.byteLength);
        frame.set(body, 2 + PATCH_HEADER_BYTES);
      },
      close() {},
      bufferedAmount: 0,
    };
    const attached = room.attach(room.reserveSeat(`bot${i}`).id, sink);
    if (!attached.ok) throw new Error(attached.reason);
    clients.push({ client: attached.client, seq: 0, dx: 1, dy: 0, aim: 0 });
  }
  room.start();
  let receiveNs = 0;
  let tickNs = 0;
  let receiveBytes = 0;
  let tickBytes = 0;
  const messages: Uint8Array[] = new Array(PLAYERS);
  for (let t = 0; t < WARMUP_TICKS + MEASURED_TICKS; t++) {
    const measuring = t >= WARMUP_TICKS;
    for (let i = 0; i < PLAYERS; i++) {
      const c = clients[i]!;
      if (t % 15 === i % 15) {
        c.dx = Math.floor(random() * 3) - 1;
        c.dy = c.dx === 0 ? 1 : Math.floor(random() * 3) - 1;
      }
      const fire = random() < 2 / 30;
      if (fire) c.aim = random() * Math.PI * 2;
      messages[i] = encodeInput(arena.input, ++c.seq, { dx: c.dx, dy: c.dy, aim: c.aim, fire });
    }
    const heap0 = process.memoryUsage().heapUsed;
    const r0 = process.hrtime.bigint();
    for (let i = 0; i < PLAYERS; i++) room.receive(clients[i]!.client, messages[i]!);
    const r1 = process.hrtime.bigint();
    const heap1 = process.memoryUsage().heapUsed;
    clock.advance(1000 / 30);
    const r2 = process.hrtime.bigint();
    const heap2 = process.memoryUsage().heapUsed;
    if (measuring) {
      receiveNs += Number(r1 - r0);
      tickNs += Number(r2 - r1);
      // A GC in between makes a delta negative: such samples are left out of the allocation figure.
      if (heap1 >= heap0) receiveBytes += heap1 - heap0;
      if (heap2 >= heap1) tickBytes += heap2 - heap1;
    }
  }
  room.dispose();
  return {
    receiveNs: receiveNs / (MEASURED_TICKS * PLAYERS),
    tickUs: tickNs / MEASURED_TICKS / 1000,
    receiveBytes: receiveBytes / (MEASURED_TICKS * PLAYERS),
    tickBytes: tickBytes / MEASURED_TICKS,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const runs = Array.from({ length: RUNS }, () => {
  (globalThis as { gc?: () => void }).gc?.();
  return once();
});
console.log(
  `arena, ${PLAYERS} players, medians of ${RUNS} runs: receive ${median(runs.map((r) => r.receiveNs)).toFixed(0)} ns/message ` +
    `(${median(runs.map((r) => r.receiveBytes)).toFixed(0)} B allocated), tick ${median(runs.map((r) => r.tickUs)).toFixed(1)} µs ` +
    `(${median(runs.map((r) => r.tickBytes)).toFixed(0)} B allocated)`,
);
