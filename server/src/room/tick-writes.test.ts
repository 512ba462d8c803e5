import { describe, expect, it } from 'vitest';
import { modes, type ModeDefinition } from '@tickforge/shared';
import { ManualClock } from '../clock';
import { Room, type ClientSink } from '.';

/** A clock that moves on by `writeMs` inside every patch write, and by nothing elsewhere. */
class WriteCostingClock extends ManualClock {
  spent = 0;
  override now(): number {
    return super.now() + this.spent;
  }
}

describe("a tick's socket writes, measured apart", () => {
  for (const name of ['arena', 'bigworld']) {
    it(`${name}: tickWritesMs is the time the tick spent in its patch writes, and the tick measured includes it`, () => {
      const mode = modes.find((m) => m.name === name) as ModeDefinition;
      const clock = new WriteCostingClock();
      const durations: number[] = [];
      const room = new Room({ id: 'r', mode: mode as never, clock, seed: 1, seatTtlMs: 60_000, onTickMeasured: (ms) => durations.push(ms) });
      const writeMs = 0.25;
      const sink: ClientSink = {
        send() {},
        sendPatch() {
          clock.spent += writeMs;
        },
        close() {},
        bufferedAmount: 0,
      };
      const players = 3;
      for (let i = 0; i < players; i++) expect(room.attach(room.reserveSeat(`p${i}`).id, sink).ok).toBe(true);
      room.start();
      clock.advance(1000 / 30); // the join tick: WELCOMEs, which are not patches
      clock.advance(1000 / 30);
      expect(room.tickWritesMs).toBeCloseTo(players * writeMs, 9);
      expect(durations.at(-1)).toBeCloseTo(players * writeMs, 9); // nothing else took time on this clock
      room.dispose();
    });
  }
});
