/**
 * Every kind of malformed or abusive message closes the offender with the fitting code and a
 * reason, removes its player at once (no reconnection grace for an offender), and the room plays on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ClientMessage, CloseCode, encodeChat, encodeInput, encodePing, matchmake, socketUrl } from '@tickforge/shared';
import { arena, type ArenaState } from '@tickforge/shared/modes/arena/index';
import { closeOf, join, startServer, waitFor, type TestServer } from '../support/server';

const still = { dx: 0, dy: 0, aim: 0, fire: false };
const input = (seq: number, over: Partial<typeof still> = {}) => encodeInput(arena.input, seq, { ...still, ...over });
/** An input frame with the aim float (bytes 9..12) replaced. */
const withAim = (aim: number) => {
  const b = input(1);
  new DataView(b.buffer).setFloat32(9, aim, true);
  return b;
};
const bytes = (...v: number[]) => Uint8Array.from(v);
const repeat = (n: number, f: (i: number) => Uint8Array) => Array.from({ length: n }, (_, i) => f(i));

type Frame = Uint8Array | { text: string | Buffer };

const cases: Array<[string, Frame[], number]> = [
  ['a text frame', [{ text: 'hello' }], CloseCode.UNSUPPORTED_DATA],
  ['a text frame that is not UTF-8', [{ text: Buffer.from([0xc3, 0x28]) }], CloseCode.INVALID_DATA],
  ['a frame over 512 bytes', [new Uint8Array(600)], CloseCode.MESSAGE_TOO_BIG],
  ['an empty frame', [new Uint8Array(0)], CloseCode.INVALID_DATA],
  ['an unknown message type', [bytes(0x7f, 1, 2)], CloseCode.POLICY_VIOLATION],
  ['a server message type', [bytes(0x02, 0, 0, 0, 0, 0, 0, 0, 0)], CloseCode.POLICY_VIOLATION],
  ['a short input', [input(1).subarray(0, 8)], CloseCode.INVALID_DATA],
  ['a long input', [Uint8Array.from([...input(1), 0])], CloseCode.INVALID_DATA],
  ['an input with NaN aim', [withAim(NaN)], CloseCode.INVALID_DATA],
  ['an input with infinite aim', [withAim(-Infinity)], CloseCode.INVALID_DATA],
  ['an input with aim out of range', [withAim(1e9)], CloseCode.INVALID_DATA],
  ['an input with dx out of range', [input(1, { dx: 5 })], CloseCode.INVALID_DATA],
  [
    'an input with fire = 2',
    [
      (() => {
        const b = input(1);
        b[13] = 2;
        return b;
      })(),
    ],
    CloseCode.INVALID_DATA,
  ],
  ['an input with sequence 0', [input(0)], CloseCode.INVALID_DATA],
  ['an input sequence that goes back', [input(5), input(3)], CloseCode.INVALID_DATA],
  ['an input sequence that repeats', [input(5), input(5)], CloseCode.INVALID_DATA],
  ['an input sequence that jumps by more than 1024', [input(1), input(2000)], CloseCode.INVALID_DATA],
  ['a ping of the wrong length', [bytes(ClientMessage.PING, 1, 2)], CloseCode.INVALID_DATA],
  ['a ping with a NaN time', [encodePing(NaN)], CloseCode.INVALID_DATA],
  ['a chat that is not UTF-8', [bytes(ClientMessage.CHAT, 0xff, 0xfe)], CloseCode.INVALID_DATA],
  ['an empty chat', [bytes(ClientMessage.CHAT)], CloseCode.INVALID_DATA],
  ['a chat of blanks', [encodeChat('   ')], CloseCode.INVALID_DATA],
  ['a chat with control characters', [encodeChat('hi\u0007there')], CloseCode.INVALID_DATA],
  ['a chat over 200 characters', [encodeChat('x'.repeat(201))], CloseCode.INVALID_DATA],
  ['a leave with a body', [bytes(ClientMessage.LEAVE, 0)], CloseCode.INVALID_DATA],
  ['an input flood', repeat(200, (i) => input(i + 1)), CloseCode.POLICY_VIOLATION],
  ['a chat flood', repeat(40, (i) => encodeChat(`spam ${i}`)), CloseCode.POLICY_VIOLATION],
  ['a ping flood', repeat(60, (i) => encodePing(i)), CloseCode.POLICY_VIOLATION],
];

describe('malformed and abusive messages', () => {
  let server: TestServer;
  let witness: Awaited<ReturnType<typeof join>>;

  beforeAll(async () => {
    // A long reconnection grace: an offender must still leave at once.
    server = await startServer({ reconnectGraceSeconds: 60 });
    witness = await join(server.base, { name: 'witness' });
  });
  afterAll(() => server.close());

  it.each(cases)('%s closes only the offender', async (_name, frames, code) => {
    const seat = await matchmake(server.base, { mode: 'arena', roomId: witness.seat.roomId, name: 'offender' });
    const ws = new WebSocket(socketUrl(server.base, seat));
    await new Promise((r) => ws.once('open', r));
    const closed = closeOf(ws);
    const patchesBefore = witness.game.patches;
    for (const f of frames) {
      if (f instanceof Uint8Array) ws.send(f, { binary: true });
      else ws.send(f.text, { binary: false });
    }
    const { code: got, reason } = await closed;
    expect(got).toBe(code);
    expect(reason.length).toBeGreaterThan(0);
    // The offender's player is gone at once, and the witness plays on.
    const room = server.app.rooms.get(seat.roomId)!;
    await waitFor('offender removed', () => room.occupancy === 1 && room.heldCount === 0);
    await waitFor('offender gone from the witness state', () => (witness.game.state as ArenaState).players.size === 1);
    await waitFor('witness patches', () => witness.game.patches > patchesBefore + 2);
    expect(witness.game.closed).toBeUndefined();
  });

  it('a LEAVE closes 1000 and the player leaves without grace', async () => {
    const p = await join(server.base, { roomId: witness.seat.roomId });
    const closed = closeOf(p.ws);
    p.game.leave();
    expect((await closed).code).toBe(CloseCode.NORMAL);
    const room = server.app.rooms.get(p.seat.roomId)!;
    await waitFor('leaver removed', () => room.occupancy === 1 && room.heldCount === 0);
  });

  it('input carries no player id: a client moves only its own player', async () => {
    const p = await join(server.base, { roomId: witness.seat.roomId });
    const state = () => server.app.rooms.get(p.seat.roomId)!.state as ArenaState;
    const other = () => state().players.get(String(witness.game.playerId))!;
    const mine = () => state().players.get(String(p.game.playerId))!;
    const before = { mine: mine().x, other: [other().x, other().y] };
    for (let i = 0; i < 10; i++) p.game.sendInput({ dx: before.mine > 1000 ? -1 : 1, dy: 0, aim: 0, fire: false });
    await waitFor('own player moved', () => Math.abs(mine().x - before.mine) > 30);
    expect([other().x, other().y]).toEqual(before.other);
    p.game.close();
  });
});
