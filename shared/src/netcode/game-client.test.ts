import { describe, expect, it } from 'vitest';
import { Encoder } from '@colyseus/schema';
import { encodePatch, encodeWelcome } from '../protocol/messages';
import { ArenaPlayer, ArenaState, arena } from '../modes/arena/index';
import { GameClient, socketUrl, type SocketLike } from './game-client';

function fakeSocket(): SocketLike {
  return { binaryType: 'arraybuffer', readyState: 1, send() {}, close() {}, onopen: null, onmessage: null, onclose: null, onerror: null };
}

function serverMessages() {
  const state = new ArenaState();
  const encoder = new Encoder(state);
  const p = new ArenaPlayer();
  p.name = 'ann';
  p.x = 10;
  state.players.set('1', p);
  encoder.discardChanges();
  const welcome = encodeWelcome({ playerId: 1, tickRate: 30, tick: 5, serverTime: 100, mode: 'arena', roomId: 'r', state: encoder.encodeAll().slice() });
  p.x = 20;
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

describe('socketUrl', () => {
  it('resolves a relative seat url against the server with the ws scheme of its http scheme', () => {
    expect(socketUrl('http://127.0.0.1:3000', { url: '/ws?token=t' })).toBe('ws://127.0.0.1:3000/ws?token=t');
    expect(socketUrl('https://game.example.com/lobby', { url: '/ws?token=t' })).toBe('wss://game.example.com/ws?token=t');
  });

  it('uses an absolute seat url (a server with PUBLIC_URL) as it is', () => {
    expect(socketUrl('http://127.0.0.1:3000', { url: 'wss://game.example.com/ws?token=t' })).toBe('wss://game.example.com/ws?token=t');
    expect(socketUrl('https://page.example.com', { url: 'ws://10.0.0.7:3001/ws?token=t' })).toBe('ws://10.0.0.7:3001/ws?token=t');
  });
});
