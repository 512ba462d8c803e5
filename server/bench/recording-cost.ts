/**
 * What the state hash and the recorder cost, without sockets: arena rooms of N players on the
 * reference workload's behaviour (a new random direction every 500 ms, firing about twice a
 * second, seeded), 60 simulated seconds. Reports, as medians over the hashed ticks:
 * - stateHash of the room's state (µs, once per 15 ticks), against the tick itself;
 * - the room's tick time with and without a recorder (two rooms stepped alternately, same seed);
 * - the recording's bytes per simulated minute.
 *
 *   node --import tsx server/bench/recording-cost.ts [players...]     (default: 8 16)
 */
import { seededRandom, stateHash } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { createHarness } from '../src/harness';
import { RoomRecorder } from '../src/recording/room-recorder';
import { memorySink } from '../src/recording/recording-file';

const counts = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const TICKS = 60 * 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const n of counts.length ? counts : [8, 16]) {
  const rooms = [false, true].map((recording) => {
    const h = createHarness(arena, { seed: 5 });
    const sink = memorySink();
    if (recording) h.room.startRecording((s) => new RoomRecorder(s, sink));
    const rng = seededRandom(11);
    const players = Array.from({ length: n }, (_, i) => ({ p: h.join(`p${i}`), dx: 0, dy: 0 }));
    const tickMs: number[] = [];
    return { h, sink, rng, players, tickMs, recording };
  });
  const hashUs: number[] = [];
  for (let t = 1; t <= TICKS; t++) {
    for (const r of rooms) {
      for (const pl of r.players) {
        if (t % 15 === 0) {
          pl.dx = Math.floor(r.rng() * 3) - 1;
          pl.dy = Math.floor(r.rng() * 3) - 1;
        }
        pl.p.input({ dx: pl.dx, dy: pl.dy, aim: r.rng() * 6.28, fire: r.rng() < 2 / 30 });
      }
      const t0 = performance.now();
      r.h.step();
      r.tickMs.push(performance.now() - t0);
    }
    if (t % 15 === 0 && t > 150) {
      const state = rooms[0]!.h.state;
      const a = performance.now();
      for (let i = 0; i < 20; i++) stateHash(state);
      hashUs.push(((performance.now() - a) * 1000) / 20);
    }
  }
  const rec = rooms[1]!;
  await rec.h.room.stopRecording();
  const bytes = rec.sink.bytes().byteLength;
  const [plain, recorded] = rooms.map((r) => median(r.tickMs.slice(150)) * 1000);
  console.log(
    `${n} players: stateHash ${median(hashUs).toFixed(1)} µs; ` +
      `tick ${plain!.toFixed(1)} µs plain, ${recorded!.toFixed(1)} µs recording (+${(recorded! - plain!).toFixed(1)} µs); ` +
      `recording ${(bytes / 1024).toFixed(1)} KiB per minute`,
  );
}
