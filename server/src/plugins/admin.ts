/**
 * The admin API and dashboard (docs/admin.md), registered only when ADMIN_TOKEN is set: without
 * it /admin and /api/admin/* do not exist (404). Every /api/admin/* request needs
 * `Authorization: Bearer <ADMIN_TOKEN>` (401 TF_ERR_UNAUTHORIZED otherwise), compared in constant
 * time (both sides hashed first, so not even the length leaks). The /admin page itself holds no
 * data: it asks for the token and calls the API with it.
 *
 * Rooms come from the directory (`list()`: every node's rooms in a cluster); detail, players and
 * controls exist for this process's rooms (RoomHost); a room of another node answers 409
 * TF_ERR_ROOM_REMOTE for those.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CloseReasons } from '@tickforge/shared';
import { dashboardPage } from '../admin/dashboard-page';
import type { RoomStats } from '../admin/room-stats';
import { Errors } from '../errors';
import type { Metrics } from '../metrics';
import type { Room } from '../room';
import type { Recordings } from '../recording/recordings';
import type { RoomDirectory } from '../rooms/directory';
import type { RoomHost } from '../rooms/host';

export interface AdminOptions {
  token: string;
  rooms: RoomHost;
  directory: RoomDirectory;
  metrics: Metrics;
  recordings: Recordings;
  stats: RoomStats;
}

/** One second of the process, for the live charts. */
export interface ProcessSample {
  /** ms since the epoch. */
  t: number;
  clients: number;
  rooms: number;
  /** CPU of this process in percent of one core, over the last second. */
  cpuPercent: number;
  rssBytes: number;
  bytesOutPerSecond: number;
  bytesInPerSecond: number;
}

const SAMPLES_KEPT = 300;

const digest = (s: string) => createHash('sha256').update(s).digest();

export const admin: FastifyPluginAsync<AdminOptions> = async (app, { token, rooms, directory, metrics, recordings, stats }) => {
  const expected = digest(token);
  const authorized = (req: FastifyRequest) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    return timingSafeEqual(digest(given), expected);
  };

  const samples: ProcessSample[] = [];
  let last = { at: performance.now(), cpu: process.cpuUsage(), out: metrics.traffic.bytesOut, in: metrics.traffic.bytesIn };
  const sample = () => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const dt = (now - last.at) / 1000;
    const cpuMs = (cpu.user - last.cpu.user + cpu.system - last.cpu.system) / 1000;
    let clients = 0;
    for (const r of rooms.all()) clients += r.playerCount;
    samples.push({
      t: Date.now(),
      clients,
      rooms: rooms.size,
      cpuPercent: Math.round((cpuMs / (dt * 1000)) * 1000) / 10,
      rssBytes: process.memoryUsage.rss(),
      bytesOutPerSecond: Math.round((metrics.traffic.bytesOut - last.out) / dt),
      bytesInPerSecond: Math.round((metrics.traffic.bytesIn - last.in) / dt),
    });
    if (samples.length > SAMPLES_KEPT) samples.shift();
    last = { at: now, cpu, out: metrics.traffic.bytesOut, in: metrics.traffic.bytesIn };
    stats.sample(rooms.all(), now);
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.get('/admin', async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(dashboardPage));

  await app.register(async (api) => {
    api.addHook('onRequest', async (req) => {
      if (!authorized(req)) throw Errors.unauthorized();
    });

    const localRoom = async (id: string): Promise<Room> => {
      const room = rooms.get(id);
      if (room && !room.isDisposed) return room;
      const anywhere = (await directory.list()).some((r) => r.id === id);
      throw anywhere ? Errors.roomRemote(id) : Errors.roomNotFound(id);
    };
    const detail = (room: Room) => ({
      id: room.id,
      mode: room.mode.name,
      local: true,
      players: room.playerCount,
      held: room.heldCount,
      seatsTaken: room.occupancy,
      maxPlayers: room.mode.maxPlayers,
      tick: room.tick,
      tickRate: room.tickRate,
      ...stats.summary(room),
      recording: room.recording ? { ...room.recording.status } : null,
    });

    api.get('/api/admin/rooms', async () => {
      const listed = await directory.list();
      const out = [];
      const seen = new Set<string>();
      for (const room of rooms.all()) {
        if (room.isDisposed) continue;
        seen.add(room.id);
        out.push(detail(room));
      }
      for (const r of listed) if (!seen.has(r.id)) out.push({ ...r, local: false });
      return { rooms: out };
    });

    api.get<{ Params: { id: string } }>('/api/admin/rooms/:id', async (req) => {
      const room = await localRoom(req.params.id);
      const players = [...room.connectedClients].map((c) => ({
        id: c.player.id,
        name: c.player.name,
        phase: c.phase,
        pingMs: c.sink.rttMs === undefined ? null : Math.round(c.sink.rttMs * 10) / 10,
        bytesIn: c.bytesIn,
        bytesOut: c.sink.bytesOut ?? null,
        buffered: c.sink.bufferedAmount,
        ack: c.inputs.ack,
      }));
      return { ...detail(room), playerList: players };
    });

    api.delete<{ Params: { id: string } }>('/api/admin/rooms/:id', async (req) => {
      const room = await localRoom(req.params.id);
      const players = room.playerCount;
      room.dispose(...CloseReasons.roomClosedByOperator);
      req.log.info({ room: room.id, players }, 'room disposed by an operator');
      return { disposed: room.id, closed: players, code: CloseReasons.roomClosedByOperator[0] };
    });

    api.post<{ Params: { id: string; player: string } }>('/api/admin/rooms/:id/players/:player/kick', async (req) => {
      const room = await localRoom(req.params.id);
      const id = Number(req.params.player);
      const client = [...room.connectedClients].find((c) => c.player.id === id);
      if (!client) throw Errors.playerNotFound(room.id, id);
      room.kick(client, ...CloseReasons.kickedByOperator);
      return { kicked: id, room: room.id, code: CloseReasons.kickedByOperator[0] };
    });

    api.post<{ Params: { id: string } }>('/api/admin/rooms/:id/recording', async (req) => {
      const room = await localRoom(req.params.id);
      return { recording: { ...recordings.start(room) } };
    });

    api.delete<{ Params: { id: string } }>('/api/admin/rooms/:id/recording', async (req) => {
      const room = await localRoom(req.params.id);
      const status = await recordings.stop(room);
      return { recording: status ? { ...status } : null };
    });

    api.get('/api/admin/process', async () => ({ pid: process.pid, samples }));
  });
};
