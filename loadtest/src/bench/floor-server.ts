/**
 * The floor: the least a server can do for the arena workload's messages, so that our server's CPU
 * can be quoted as a multiple of it (issue 13). Per client-second it reads 30 input frames (and one
 * ping) and writes 30 pre-framed patches of the size our server sends, each one allocation and one
 * write, behind our own 6-byte header (`writePatchHeader`: the tick and that client's acknowledged
 * input as u16s), so its bytes match ours; per room it runs a 30 Hz timer. No game, no schema, no Fastify, no validation beyond what it needs to read a
 * sequence number: what is left is node's event loop, ws's frame parser and the system calls.
 *
 * It speaks just enough of Tickforge's HTTP API and protocol for the loadtest bots to play it with
 * `--decode header` (the patch body is filler, so it cannot be decoded as state):
 * GET /api/modes, POST /api/matchmake (16 to a room), GET /ws?token=, GET /metrics (the names the
 * loadtest reads). Prints the same "open <url> in a browser" line as the server.
 *
 *   node --import tsx loadtest/src/bench/floor-server.ts [--patch-bytes 131] [--room-size 16]   (PORT, HOST from env)
 *
 * `--room-size 200 --patch-bytes 39` is the floor of a 200-player big-world room (issue 16): one
 * tick writes 200 patches of its mean size, so its tick percentiles are what those writes alone cost.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientMessage, PATCH_HEADER_BYTES, ServerMessage, encodePong, encodeWelcome, writePatchHeader } from '@tickforge/shared';
import { TICK_DURATION_BUCKETS } from '../../../server/src/metrics';

const TICK_RATE = 30;
const { values } = parseArgs({ options: { 'patch-bytes': { type: 'string', default: '131' }, 'room-size': { type: 'string', default: '16' } } });
const ROOM_SIZE = Math.max(1, Math.round(Number(values['room-size'])));
/** Whole PATCH message (header + body), as our server's mean on the same workload (131: the 135 measured with protocol 5's 10-byte header, less 4). */
const patchBytes = Math.max(PATCH_HEADER_BYTES, Math.round(Number(values['patch-bytes'])));
const body = Buffer.alloc(patchBytes - PATCH_HEADER_BYTES, 0x5a);

interface FloorClient {
  tcp: Socket;
  ack: number;
}

interface FloorRoom {
  id: string;
  clients: Set<FloorClient>;
  tick: number;
  origin: number;
  timer: NodeJS.Timeout | undefined;
}

const counters = { bytesOut: 0, messagesOut: 0, patchesOut: 0, bytesIn: 0, messagesIn: 0, ticks: 0, tickSeconds: 0 };
/** Tick duration buckets (seconds) for the loadtest's tick rate and percentiles: the server's own (9% wide). */
const TICK_BOUNDS = TICK_DURATION_BUCKETS;
const tickBuckets = new Array<number>(TICK_BOUNDS.length).fill(0);
const rooms: FloorRoom[] = [];
const seats = new Map<string, FloorRoom>();
let seated = 0;
let clientCount = 0;

function roomFor(index: number): FloorRoom {
  const r = Math.floor(index / ROOM_SIZE);
  while (rooms.length <= r) rooms.push({ id: `floor-${rooms.length}`, clients: new Set(), tick: 0, origin: 0, timer: undefined });
  return rooms[r]!;
}

/** A server-to-client binary frame around `n` payload bytes; the payload goes at the returned offset. */
function frame(n: number): [Buffer, number] {
  const at = n < 126 ? 2 : 4;
  const f = Buffer.allocUnsafe(at + n);
  f[0] = 0x82;
  if (at === 2) f[1] = n;
  else {
    f[1] = 126;
    f.writeUInt16BE(n, 2);
  }
  return [f, at];
}

function write(tcp: Socket, message: Uint8Array): void {
  const [f, at] = frame(message.byteLength);
  f.set(message, at);
  counters.messagesOut++;
  counters.bytesOut += message.byteLength;
  tcp.write(f);
}

/** Absolute schedule (tick n at origin + n/30 s), like the server's tick loop. */
function scheduleTick(room: FloorRoom): void {
  const due = room.origin + ((room.tick + 1) * 1000) / TICK_RATE;
  room.timer = setTimeout(() => runTick(room), Math.max(0, due - performance.now()));
}

function runTick(room: FloorRoom): void {
  if (room.clients.size === 0) {
    room.timer = undefined;
    return;
  }
  const started = performance.now();
  room.tick++;
  for (const c of room.clients) {
    if (c.tcp.destroyed) continue;
    const [f, at] = frame(patchBytes);
    writePatchHeader(f, at, ServerMessage.PATCH, room.tick, c.ack);
    body.copy(f, at + PATCH_HEADER_BYTES);
    counters.messagesOut++;
    counters.patchesOut++;
    counters.bytesOut += patchBytes;
    c.tcp.write(f);
  }
  const took = (performance.now() - started) / 1000;
  counters.ticks++;
  counters.tickSeconds += took;
  for (let i = 0; i < TICK_BOUNDS.length; i++) if (took <= TICK_BOUNDS[i]!) tickBuckets[i]!++;
  scheduleTick(room);
}

function accept(ws: WebSocket, room: FloorRoom): void {
  const tcp = (ws as unknown as { _socket: Socket })._socket;
  const client: FloorClient = { tcp, ack: 0 };
  clientCount++;
  write(
    tcp,
    encodeWelcome({ playerId: clientCount, tickRate: TICK_RATE, tick: room.tick, serverTime: performance.now(), mode: 'arena', roomId: room.id, state: new Uint8Array(0) }),
  );
  room.clients.add(client);
  if (!room.timer) {
    room.origin = performance.now() - (room.tick * 1000) / TICK_RATE;
    scheduleTick(room);
  }
  ws.on('message', (data: Buffer) => {
    counters.messagesIn++;
    counters.bytesIn += data.byteLength;
    const type = data[0];
    if (type === ClientMessage.INPUT) client.ack = data.readUInt32LE(1);
    else if (type === ClientMessage.PING) write(tcp, encodePong(data.readDoubleLE(1), performance.now()));
    else if (type === ClientMessage.LEAVE) ws.close(1000, 'left');
  });
  ws.on('close', () => {
    room.clients.delete(client);
    clientCount--;
  });
}

function metrics(): string {
  const cpu = process.cpuUsage();
  const lines = [
    `tickforge_process_cpu_user_seconds_total ${cpu.user / 1e6}`,
    `tickforge_process_cpu_system_seconds_total ${cpu.system / 1e6}`,
    `tickforge_process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    `tickforge_rooms ${rooms.filter((r) => r.clients.size > 0).length}`,
    `tickforge_clients ${clientCount}`,
    `tickforge_ws_bytes_out_total ${counters.bytesOut}`,
    `tickforge_ws_messages_out_total ${counters.messagesOut}`,
    `tickforge_patches_out_total ${counters.patchesOut}`,
    `tickforge_ws_bytes_in_total ${counters.bytesIn}`,
    `tickforge_ws_messages_in_total ${counters.messagesIn}`,
    'tickforge_ticks_dropped_total 0',
    'tickforge_tick_overruns_total 0',
    '# TYPE tickforge_tick_duration_seconds histogram',
    ...TICK_BOUNDS.map((b, i) => `tickforge_tick_duration_seconds_bucket{le="${b}"} ${tickBuckets[i]}`),
    `tickforge_tick_duration_seconds_bucket{le="+Inf"} ${counters.ticks}`,
    `tickforge_tick_duration_seconds_sum ${counters.tickSeconds}`,
    `tickforge_tick_duration_seconds_count ${counters.ticks}`,
  ];
  return lines.join('\n') + '\n';
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 512 });
const http = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/api/modes') {
    return json(res, 200, [{ name: 'arena', title: 'Arena (floor)', description: 'floor server', maxPlayers: ROOM_SIZE, tickRate: TICK_RATE }]);
  }
  if (req.method === 'POST' && path === '/api/matchmake') {
    req.resume();
    req.on('end', () => {
      const token = String(seated);
      seats.set(token, roomFor(seated++));
      json(res, 200, { roomId: seats.get(token)!.id, mode: 'arena', token, expiresInMs: 60_000, url: `/ws?token=${token}` });
    });
    return;
  }
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics());
    return;
  }
  res.writeHead(404).end();
});
http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
  const room = seats.get(token);
  if (!room) return socket.destroy();
  seats.delete(token);
  wss.handleUpgrade(req, socket, head, (ws) => accept(ws, room));
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const a = http.address() as { address: string; port: number };
  console.log(`Tickforge floor server is up: open http://${a.address}:${a.port} in a browser (${patchBytes} B patches)`);
});
const stop = () => {
  for (const r of rooms) clearTimeout(r.timer);
  for (const c of wss.clients) c.terminate();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
