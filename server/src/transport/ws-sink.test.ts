import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { PatchClock, ServerMessage, decodeServerMessage, encodeStateHash } from '@tickforge/shared';
import { TrafficStats } from '../metrics';
import { webSocketSink } from './ws-sink';
import { tcpSocketOf } from './ws-internals';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** A ws server connection behind our sink, with its TCP writes counted, and a ws client reading it. */
async function pair() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  const serverSide = new Promise<WebSocket>((resolve) => wss.on('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
  client.binaryType = 'nodebuffer';
  const messages: Buffer[] = [];
  client.on('message', (data: Buffer) => messages.push(data));
  await once(client, 'open');
  const ws = await serverSide;
  cleanup.push(
    () => client.terminate(),
    () => wss.close(),
  );
  const tcp = tcpSocketOf(ws)!;
  let writes = 0;
  const write = tcp.write.bind(tcp) as (chunk: Uint8Array) => boolean;
  tcp.write = ((chunk: Uint8Array) => {
    writes++;
    return write(chunk);
  }) as typeof tcp.write;
  const traffic = new TrafficStats();
  const arrived = async (n: number) => {
    for (let i = 0; i < 100 && messages.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return messages;
  };
  return { sink: webSocketSink(ws, traffic), traffic, writes: () => writes, arrived };
}

describe('webSocketSink', () => {
  it('writes a patch and the message that follows it (the tick STATE_HASH) as two frames in one write', async () => {
    const p = await pair();
    const body = Uint8Array.from({ length: 300 }, (_, i) => i & 255); // a 16-bit length frame header
    const hash = encodeStateHash(70_000, 0xdeadbeef);
    p.sink.sendPatch(ServerMessage.PATCH, 70_000, 12, body, 0, hash);
    expect(p.writes()).toBe(1);
    p.sink.sendPatch(ServerMessage.PATCH, 70_001, 13, body.subarray(0, 40));
    expect(p.writes()).toBe(2);

    const got = await p.arrived(3);
    expect(got).toHaveLength(3);
    const clock = new PatchClock();
    clock.welcome(69_999);
    const first = decodeServerMessage(got[0]!, clock);
    expect(first).toMatchObject({ type: ServerMessage.PATCH, tick: 70_000, ack: 12 });
    expect(first.type === ServerMessage.PATCH && [...first.state]).toEqual([...body]);
    expect(decodeServerMessage(got[1]!, clock)).toMatchObject({ type: ServerMessage.STATE_HASH, tick: 70_000, hash: 0xdeadbeef });
    expect(decodeServerMessage(got[2]!, clock)).toMatchObject({ type: ServerMessage.PATCH, tick: 70_001 });
    // Both messages of the first write are counted, as two messages and their bytes.
    expect(p.traffic.messagesOut).toBe(3);
    expect(p.traffic.patchesOut).toBe(2);
    expect(p.traffic.bytesOut).toBe(6 + 300 + hash.byteLength + 6 + 40);
    expect(p.sink.bytesOut).toBe(p.traffic.bytesOut);
  });

  it('writes the message that goes before a patch (the last tick STATE_HASH, under interest), the patch and one after it, in one write', async () => {
    const p = await pair();
    const body = Uint8Array.from({ length: 50 }, (_, i) => i);
    const last = encodeStateHash(70_000, 0x01020304);
    const now = encodeStateHash(70_001, 0x0a0b0c0d);
    p.sink.sendPatch(ServerMessage.PATCH, 70_001, 12, body, 0, now, last);
    expect(p.writes()).toBe(1);

    const got = await p.arrived(3);
    const clock = new PatchClock();
    clock.welcome(70_000);
    expect(decodeServerMessage(got[0]!, clock)).toMatchObject({ type: ServerMessage.STATE_HASH, tick: 70_000, hash: 0x01020304 });
    const patch = decodeServerMessage(got[1]!, clock);
    expect(patch).toMatchObject({ type: ServerMessage.PATCH, tick: 70_001, ack: 12 });
    expect(patch.type === ServerMessage.PATCH && [...patch.state]).toEqual([...body]);
    expect(decodeServerMessage(got[2]!, clock)).toMatchObject({ type: ServerMessage.STATE_HASH, tick: 70_001, hash: 0x0a0b0c0d });
    expect(p.traffic.messagesOut).toBe(3);
    expect(p.traffic.patchesOut).toBe(1);
    expect(p.traffic.bytesOut).toBe(last.byteLength + 6 + 50 + now.byteLength);
    expect(p.sink.bytesOut).toBe(p.traffic.bytesOut);
  });
});
