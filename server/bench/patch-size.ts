/**
 * Patch bytes and tick cost of arena without sockets, on both input models of the loadtest's bots
 * (the same scripts): `workload`, the reference workload's bots (a new direction of 8 every 500 ms,
 * two shots a second at a random aim), and `human` (about 4 key changes a second, the aim turning
 * every frame; loadtest/src/bot/human-script.ts). N players in one room, seeded. Reports bytes per
 * patch message (its PATCH_HEADER_BYTES header included: 6 bytes since protocol 6, 10 before;
 * WebSocket framing excluded) and the room's tick duration (rules + encoding + per-client framing
 * into memory), as medians and percentiles over 30 simulated seconds after 5 s of warm-up.
 *
 * The first line counts each patch without its events section (the state's cost, comparable with
 * runs from before events existed); the second what the kill events add: how many patches carried
 * one, the section's bytes, and the patch bytes as sent.
 *
 *   node --import tsx server/bench/patch-size.ts [players...] [--input workload|human]   (default: 1 4 16, both)
 */
import { EVENTS_FLAG, PATCH_HEADER_BYTES, encodeInput } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { ManualClock } from '../src/clock';
import { Room, type ClientSink } from '../src/room';
import { HumanScript } from '../../loadtest/src/bot/human-script';
import { WorkloadScript } from '../../loadtest/src/bot/workload-script';

const args = process.argv.slice(2);
const inputAt = args.indexOf('--input');
const models = inputAt >= 0 ? [args[inputAt + 1]!] : ['workload', 'human'];
const counts = args
  .filter((a, i) => i !== inputAt + 1 || inputAt < 0)
  .map(Number)
  .filter((n) => n > 0);
const WARMUP_TICKS = 5 * 30;
const MEASURED_TICKS = 30 * 30;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

for (const model of models)
  for (const n of counts.length ? counts : [1, 4, 16]) {
    const clock = new ManualClock();
    let measuring = false;
    const patchBytes: number[] = [];
    const sentBytes: number[] = [];
    const sectionBytes: number[] = [];
    const tickMs: number[] = [];
    const room = new Room({
      id: 'bench',
      mode: arena as never,
      clock,
      seed: 1,
      seatTtlMs: 60_000,
      onTickMeasured: () => {},
    });
    const clients = [];
    for (let i = 0; i < n; i++) {
      const recording = i === 0; // every client gets the same bytes: count one
      const sink: ClientSink = {
        send() {},
        sendPatch(type, _tick, _ack, body) {
          // What a socket would be handed: one buffer with header and the shared body.
          const frame = Buffer.allocUnsafe(PATCH_HEADER_BYTES + body.byteLength);
          frame.set(body, PATCH_HEADER_BYTES);
          if (!measuring || !recording) return;
          // The events section: u16 length, then the events.
          const section = type & EVENTS_FLAG ? 2 + (body[0]! | (body[1]! << 8)) : 0;
          if (section) sectionBytes.push(section);
          patchBytes.push(frame.byteLength - section);
          sentBytes.push(frame.byteLength);
        },
        close() {},
        bufferedAmount: 0,
      };
      const seat = room.reserveSeat(`bot${i}`);
      const attached = room.attach(seat.id, sink);
      if (!attached.ok) throw new Error(attached.reason);
      clients.push({ client: attached.client, seq: 0, script: model === 'human' ? new HumanScript(1, i) : new WorkloadScript(1, i) });
    }
    room.start();
    for (let t = 0; t < WARMUP_TICKS + MEASURED_TICKS; t++) {
      measuring = t >= WARMUP_TICKS;
      for (const c of clients) room.receive(c.client, encodeInput(arena.input, ++c.seq, c.script.next()));
      const started = performance.now();
      clock.advance(1000 / 30);
      if (measuring) tickMs.push(performance.now() - started);
    }
    room.dispose();
    const bytes = [...patchBytes].sort((a, b) => a - b);
    const ms = [...tickMs].sort((a, b) => a - b);
    const mean = patchBytes.reduce((a, b) => a + b, 0) / patchBytes.length;
    const sent = [...sentBytes].sort((a, b) => a - b);
    const sentMean = sentBytes.reduce((a, b) => a + b, 0) / sentBytes.length;
    const sections = [...sectionBytes].sort((a, b) => a - b);
    console.log(
      `${model.padEnd(8)} ${String(n).padStart(3)} players: patch bytes median ${percentile(bytes, 50)}, mean ${mean.toFixed(1)}, p99 ${percentile(bytes, 99)}` +
        ` (≈ ${Math.round(mean * 30 + 2 * 30)} B/client/s with WebSocket framing) | tick ms p50 ${percentile(ms, 50).toFixed(3)}` +
        ` p99 ${percentile(ms, 99).toFixed(3)} max ${ms.at(-1)!.toFixed(3)}`,
    );
    console.log(
      `             kill events in ${sections.length} of ${sentBytes.length} patches` +
        (sections.length ? `, section bytes min ${sections[0]} median ${percentile(sections, 50)} max ${sections.at(-1)}` : '') +
        ` | patch bytes as sent median ${percentile(sent, 50)}, mean ${sentMean.toFixed(1)}, p99 ${percentile(sent, 99)}`,
    );
  }
