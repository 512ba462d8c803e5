import { describe, expect, it } from 'vitest';
import { Encoder } from '@colyseus/schema';
import { ByteWriter } from '../protocol/bytes';
import { EVENTS_FLAG, ServerMessage } from '../protocol/constants';
import { encodePatch, encodeWelcome, patchBodyWithEvents } from '../protocol/messages';
import { ArenaPlayer, ArenaState, arena } from '../modes/arena/index';
import { GameClient, reconnectUrl, socketUrl, type SocketLike } from './game-client';

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
  // Tick 7: ann kills 2; ann's x changes in the same patch.
  p.sx = 30;
  const events = new ByteWriter();
  arena.events!.write(events, { type: 'kill', killer: 1, victim: 2 });
  const kill = encodePatch(7, 4, patchBodyWithEvents(events.finish(), encoder.encode().slice()), ServerMessage.PATCH | EVENTS_FLAG);
  return { welcome, patch, kill };
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

  it('hands the events of a patch to onEvents after its state is applied, and forgets them at the next patch', () => {
    const socket = fakeSocket();
    const seen: unknown[] = [];
    const client = new GameClient(arena, socket, {
      onEvents: (events, tick, c) => seen.push({ events, tick, x: c.state.players.get('1')?.x, patches: c.patches }),
      onPatch: (c) => seen.push(`patch ${c.tick}`),
    });
    const { welcome, patch, kill } = serverMessages();
    socket.onmessage!({ data: welcome });
    socket.onmessage!({ data: patch });
    expect(client.tickEvents).toEqual([]);
    socket.onmessage!({ data: kill });
    expect(seen).toEqual(['patch 6', { events: [{ type: 'kill', killer: 1, victim: 2 }], tick: 7, x: 30, patches: 2 }, 'patch 7']);
    expect(client.tickEvents).toEqual([{ type: 'kill', killer: 1, victim: 2 }]);
    socket.onmessage!({ data: encodePatch(8, 4, new Uint8Array(0)) });
    expect(client.tickEvents).toEqual([]);
  });

  it('reads full ticks and acks from the u16 patch headers across the 65536 wrap, header-only too', () => {
    for (const decodeState of [true, false]) {
      const socket = fakeSocket();
      const client = new GameClient(arena, socket, {}, undefined, { decodeState });
      socket.onmessage!({
        data: encodeWelcome({ playerId: 1, tickRate: 30, tick: 65533, serverTime: 0, mode: 'arena', roomId: 'r', state: new Encoder(new ArenaState()).encodeAll().slice() }),
      });
      client.seq = 65532; // as if it had sent that many inputs: the acks cross the wrap too
      const seen: number[][] = [];
      for (let tick = 65534; tick <= 65540; tick++) {
        client.sendInput({ dx: 1, dy: 0, aim: 0, fire: false }); // sequence tick - 1
        socket.onmessage!({ data: encodePatch(tick, client.seq - 1, new Uint8Array(0)) }); // the newest input still queued
        seen.push([client.tick, client.ack]);
      }
      expect(seen).toEqual([65534, 65535, 65536, 65537, 65538, 65539, 65540].map((t) => [t, t - 2]));
    }
  });

  it("with decodeState false reads only the headers (the loadtest's --decode header)", () => {
    const socket = fakeSocket();
    const client = new GameClient(arena, socket, {}, undefined, { decodeState: false });
    const { welcome, patch, kill } = serverMessages();
    socket.onmessage!({ data: welcome });
    socket.onmessage!({ data: patch });
    socket.onmessage!({ data: kill });
    expect(client.state.players.size).toBe(0);
    expect(client.tickEvents).toEqual([]); // events are skipped with the state
    expect([client.playerId, client.tick, client.ack, client.patches]).toEqual([1, 7, 4, 2]);
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

  it('reconnects where the seat was: against the server, or against an absolute seat url', () => {
    expect(reconnectUrl('http://127.0.0.1:3000', 'r')).toBe('ws://127.0.0.1:3000/ws?reconnect=r');
    expect(reconnectUrl('wss://game.example.com/ws?token=t', 'r')).toBe('wss://game.example.com/ws?reconnect=r');
  });
});
