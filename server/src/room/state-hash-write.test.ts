import { describe, expect, it } from 'vitest';
import { ServerMessage, decodeServerMessage, modes, stateHash, type ModeDefinition } from '@tickforge/shared';
import { ManualClock } from '../clock';
import { Room, type ClientSink } from '.';

describe('the tick STATE_HASH', () => {
  it('goes behind the patch of its tick, in the same sendPatch, never as a write of its own', () => {
    const arena = modes.find((m) => m.name === 'arena') as ModeDefinition;
    const clock = new ManualClock();
    const room = new Room({ id: 'r', mode: arena as never, clock, seed: 1, seatTtlMs: 60_000, stateHashEvery: 15 });
    const alone: number[] = [];
    const behind: Array<{ patchTick: number; hashTick: number; hash: number }> = [];
    let patches = 0;
    const sink: ClientSink = {
      send(m) {
        alone.push(m[0]!);
      },
      sendPatch(type, tick, _ack, _body, _offset, then) {
        if (type !== ServerMessage.PATCH) return;
        patches++;
        if (!then) return;
        const msg = decodeServerMessage(then);
        if (msg.type !== ServerMessage.STATE_HASH) throw new Error(`not a STATE_HASH: ${msg.type}`);
        behind.push({ patchTick: tick, hashTick: msg.tick, hash: msg.hash });
        expect(msg.hash).toBe(stateHash(room.state as never));
      },
      close() {},
      bufferedAmount: 0,
    };
    const attached = room.attach(room.reserveSeat('p').id, sink);
    expect(attached.ok).toBe(true);
    room.start();
    for (let i = 0; i < 46; i++) clock.advance(1000 / 30);
    room.dispose();
    expect(patches).toBeGreaterThanOrEqual(44);
    expect(behind.map((b) => b.hashTick)).toEqual([15, 30, 45]);
    expect(behind.every((b) => b.patchTick === b.hashTick)).toBe(true);
    expect(alone).not.toContain(ServerMessage.STATE_HASH);
  });
});
