import { describe, expect, it } from 'vitest';
import { Encoder } from '@colyseus/schema';
import { encodePatch, encodeWelcome } from '../protocol/messages';
import { ArenaPlayer, ArenaState, arena } from '../modes/arena/index';
import { GameClient, type SocketLike } from './game-client';

function fakeSocket(): SocketLike {
  return { binaryType: 'arraybuffer', readyState: 1, send() {}, close() {}, onopen: null, onmessage: null, onclose: null, onerror: null };
}

function serverMessages() {
  const state = new ArenaState();
  const encoder = new Encoder(state);
  const p = new ArenaPlayer();
  p.name = 'ann';
  // Arena sends a player's motion as a segment; standing still (dir 4) it is where it started.
  p.sx = 10;
  p.dir = 4;
  state.players.set('1', p);
  encoder.discardChanges();
  const welcome = encodeWelcome({ playerId: 1, tickRate: 30, tick: 5, serverTime: 100, mode: 'arena', roomId: 'r', state: encoder.encodeAll().slice() });
  p.sx = 20;
  const patch = encodePatch(6, 3, encoder.encode().slice());
  return { welcome, patch };
}

describe('GameClient', () => {
  it('decodes the welcome and patches into its state mirror, with tick and ack', () => {
    const socket = fakeSocket();
    const client = new GameClient(arena, socket);
    const { welcome, patch } = serverMessages();
    socket.onmessage!({ data: welcome });
    expect(client.state.players.get('1')?.x).toBe(10);
    socket.onmessage!({ data: patch });
    expect(client.state.players.get('1')?.x).toBe(20);
    expect([client.tick, client.ack, client.patches]).toEqual([6, 3, 1]);
  });

  it('with decodeState false reads only the headers (the loadtest\'s --decode header)', () => {
    const socket = fakeSocket();
    const client = new GameClient(arena, socket, {}, undefined, { decodeState: false });
    const { welcome, patch } = serverMessages();
    socket.onmessage!({ data: welcome });
    socket.onmessage!({ data: patch });
    expect(client.state.players.size).toBe(0);
    expect([client.playerId, client.tick, client.ack, client.patches]).toEqual([1, 6, 3, 1]);
  });
});
