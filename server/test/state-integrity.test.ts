/**
 * State integrity on the wire: the server sends STATE_HASH every 15 ticks; a client whose decoded
 * state hashes differently asks for the full state (RESYNC_REQUEST), gets it after the next patch,
 * reports the first differing field (DESYNC_REPORT), and the server logs both with room and tick.
 * Here one byte of one real patch is changed on its way into the client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PATCH_HEADER_BYTES, ServerMessage, stateHash } from '@tickforge/shared';
import { join, startServer, waitFor, type TestServer } from './support/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('state hash in the protocol', () => {
  it('a corrupted patch is detected and repaired within a second, and the server logs room, tick and field', async () => {
    server = await startServer({}, { captureLogs: true, seed: 3 });
    const mover = await join(server.base, { name: 'mover' });
    const watcher = await join(server.base, { name: 'watcher', roomId: mover.seat.roomId });
    const desyncs: Array<{ tick: number; field: string }> = [];
    let corruptedAt = 0;
    let corruptedTick = 0;
    const ws = watcher.ws as unknown as { onmessage: (ev: { data: ArrayBuffer }) => void };
    const deliver = ws.onmessage;
    ws.onmessage = (ev) => {
      const b = new Uint8Array(ev.data);
      // The one patch that carries the mover's new aim (nobody else changes anything, and nobody
      // moves): its last byte is the aim's value, which no later patch re-sends.
      const tick = b[1]! | (b[2]! << 8) | (b[3]! << 16);
      if (!corruptedAt && b[0] === ServerMessage.PATCH && b.byteLength > PATCH_HEADER_BYTES && watcher.game.hashesChecked > 0) {
        b[b.byteLength - 1]! ^= 0x01;
        corruptedAt = performance.now();
        corruptedTick = tick;
      }
      deliver.call(ws, ev);
    };
    try {
      await waitFor('a first matching hash', () => watcher.game.hashesChecked > 0, 2000);
      mover.game.sendInput({ dx: 0, dy: 0, aim: 1, fire: false }); // a new aim, standing still
      const events = (watcher.game as unknown as { events: { onDesync?: (t: number, f: string) => void } }).events;
      events.onDesync = (tick, field) => void desyncs.push({ tick, field });
      await waitFor('a corrupted patch', () => corruptedAt > 0, 5000);
      await waitFor('the desync report', () => desyncs.length > 0, 2000);
      const repairedAt = performance.now();
      expect(repairedAt - corruptedAt).toBeLessThan(1000);
      expect(watcher.game.desyncs).toBe(1);
      const [d] = desyncs;
      expect(d!.tick).toBe(Math.ceil(corruptedTick / 15) * 15); // the first STATE_HASH after it
      expect(d!.field).toMatch(new RegExp(`^players\\.${mover.game.playerId}\\.aim: [\\d.]+ ≠ [\\d.]+$`));
      // Repaired: later hashes match again, with no new mismatch.
      const checked = watcher.game.hashesChecked;
      await waitFor('two more matching hashes', () => watcher.game.hashesChecked >= checked + 2, 3000);
      expect(watcher.game.desyncs).toBe(1);
      expect(stateHash(watcher.game.state)).toBe(stateHash(mover.game.state));
      const logs = server.logs;
      await waitFor('the server log', () => logs.find((l) => l.field !== undefined));
      const mismatch = logs.find((l) => l.msg === 'client state hash mismatch; sending it the full state')!;
      expect(mismatch).toMatchObject({ room: mover.seat.roomId, player: watcher.game.playerId, tick: d!.tick });
      const report = logs.find((l) => l.msg === 'client state diverged: first differing field')!;
      expect(report).toMatchObject({ room: mover.seat.roomId, player: watcher.game.playerId, tick: d!.tick, field: d!.field });
    } finally {
      mover.ws.close();
      watcher.ws.close();
    }
  });
});
