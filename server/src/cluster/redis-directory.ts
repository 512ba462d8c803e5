/**
 * The cluster's room directory, in Redis: what runs when REDIS_URL is set. This node is one of
 * many; each runs its own rooms (its RoomHost) and any of them answers matchmaking for rooms on
 * any node. The directory reserves the seat in Redis (one atomic script: no room over its
 * maximum, no seat given twice, whichever nodes ask at once), signs the seat token with the
 * cluster's shared SEAT_SECRET, and answers the owning node's absolute socket URL; the owning node
 * checks the token when the player arrives (admission, never Redis). New rooms go to the
 * least-loaded live node that is not draining, asked over pub/sub (room-rpc.ts).
 *
 * Redis away: matchmaking answers 503 TF_ERR_DIRECTORY_UNAVAILABLE at once, rooms keep ticking
 * (nothing on a tick waits for Redis), and the lease (lease.ts) re-registers everything when
 * Redis is back, emptied or not.
 */
import { hostname } from 'node:os';
import type { Schema } from '@colyseus/schema';
import { CloseReasons, type MatchmakeAnswer, type ModeDefinition, type RoomSummary } from '@tickforge/shared';
import { Errors, TickforgeError } from '../errors';
import type { Room } from '../room';
import { seatSocketUrl, type RoomDirectory, type SeatRequest } from '../rooms/directory';
import type { RoomHost } from '../rooms/host';
import type { SeatTokens } from '../seat-tokens';
import { nodesKey } from './keys';
import { NodeLease } from './lease';
import type { DirectoryRedis, Reply } from './redis-connection';
import { RoomRpc } from './room-rpc';
import { MAX_EXAMINED } from './scripts';
import type { Redis } from 'ioredis';

export interface RedisDirectoryOptions {
  host: RoomHost;
  tokens: SeatTokens;
  redis: DirectoryRedis;
  subscriber: Redis;
  prefix: string;
  nodeId: string;
  /** PUBLIC_URL of this node (http(s)://host:port). */
  publicUrl: string;
  seatTtlMs: number;
  maxRooms: number;
  /** Clock skew between machines the seat bookkeeping tolerates. */
  skewMs?: number;
  leaseTtlMs?: number;
  heartbeatMs?: number;
  rpcTimeoutMs?: number;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

export interface NodeView {
  id: string;
  url: string;
  clients: number;
  rooms: number;
  draining: boolean;
  /** Milliseconds left on its lease. */
  leaseMs: number;
  startedAt: number;
}

export interface ClusterHealth {
  node: { id: string; url: string; draining: boolean; rooms: number };
  redis: 'up' | 'down';
  /** Milliseconds since Redis last answered this node's heartbeat, or null if it never did. */
  lastHeartbeatMs: number | null;
  nodes: NodeView[];
}

/**
 * Lease TTL: renewed every second, so a node may miss three renewals (a stalled event loop on a
 * loaded machine) before it counts as dead, and a dead one is out of every answer within 4 s.
 */
export const DEFAULT_LEASE_TTL_MS = 4000;
export const DEFAULT_HEARTBEAT_MS = 1000;
const PLACEMENT_WEIGHT = 1000;
/** Rooms a quick-play waits to see opened by this node (each fills a room's worth of waiters) before it opens its own. */
const MAX_OPENING_WAITS = 32;

export function defaultNodeId(port: number): string {
  return `${hostname()}-${port}-${process.pid}`;
}

export class RedisDirectory implements RoomDirectory {
  readonly lease: NodeLease;
  private readonly rpc: RoomRpc;
  private readonly key: string;
  private readonly skewMs: number;
  private closed = false;
  /** Per mode, the room this node is opening for a quick-play (other quick-plays wait for it). */
  private readonly opening = new Map<string, Promise<Reply[]>>();
  private readonly unlisten: () => void;
  /** Origins (scheme://host:port) of the live nodes, for the origin policy. */
  private origins = new Set<string>();
  private urlsOf = new Map<string, string>();

  constructor(private readonly o: RedisDirectoryOptions) {
    this.key = nodesKey(o.prefix);
    this.skewMs = o.skewMs ?? 5000;
    this.lease = new NodeLease({
      redis: o.redis,
      prefix: o.prefix,
      nodeId: o.nodeId,
      url: o.publicUrl,
      ttlMs: o.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
      intervalMs: o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      seatHorizonMs: o.seatTtlMs + this.skewMs,
      maxRooms: o.maxRooms,
      rooms: () => o.host.all(),
      log: o.log,
      // A node joined: learn its URL (origin policy, health) before a page of it opens a socket here.
      onBeat: (live) => {
        if (live.some((id) => !this.urlsOf.has(id))) void this.nodes().catch(() => undefined);
      },
    });
    this.rpc = new RoomRpc({
      publisher: o.redis,
      subscriber: o.subscriber,
      prefix: o.prefix,
      nodeId: o.nodeId,
      timeoutMs: o.rpcTimeoutMs ?? 2000,
      open: (mode) => this.openHere(o.host.modeNamed(mode)),
      log: o.log,
    });
    this.unlisten = o.host.listen({
      occupancyChanged: (room) => this.lease.changed(room),
      roomDisposed: (room) => this.lease.forget(room),
    });
    this.origins.add(new URL(o.publicUrl).origin);
  }

  /** Subscribes to this node's requests and starts the heartbeat; neither waits for Redis to be up. */
  start(): void {
    this.rpc.start().catch((err: Error) => this.o.log.error({ err: err.message }, 'cannot subscribe to room requests'));
    this.lease.start();
    // Back after an outage (or a first connection after boot): renew and re-register at once.
    this.o.redis.on('ready', () => void this.lease.beat());
  }

  get nodeId(): string {
    return this.o.nodeId;
  }

  /** False once shutdown began: matchmaking answers 503 TF_ERR_SHUTTING_DOWN. */
  get accepting(): boolean {
    return !this.closed;
  }

  async stopMatchmaking(): Promise<void> {
    this.closed = true;
  }

  /** Readiness: takes new players (not draining, not closed, its lease renewed). */
  get ready(): boolean {
    return !this.closed && !this.lease.draining && this.lease.healthy;
  }

  /** SIGTERM: no new rooms or seats here from now on (other nodes' matchmaking skips this node at once). */
  async drain(): Promise<void> {
    this.lease.draining = true;
    await this.o.redis.tfDrain(this.key, this.o.prefix, this.o.nodeId).catch(() => undefined);
  }

  get draining(): boolean {
    return this.lease.draining;
  }

  async matchmake(req: SeatRequest): Promise<MatchmakeAnswer> {
    if (this.closed) throw Errors.shuttingDown();
    const mode = this.o.host.modeNamed(req.mode);
    const { prefix, seatTtlMs } = this.o;
    if (req.roomId) {
      const r = await this.redisCall(() => this.o.redis.tfMatchmake(this.key, prefix, mode.name, req.roomId!, seatTtlMs, this.skewMs, 1));
      if (r[0] === 'ok') return this.answer(r, req.name);
      const why = r[1];
      if (why === 'mode') throw Errors.roomModeMismatch(req.roomId, mode.name);
      if (why === 'full') throw Errors.roomFull(req.roomId, mode.maxPlayers);
      if (why === 'draining') throw Errors.roomDraining(req.roomId);
      throw Errors.roomNotFound(req.roomId);
    }
    if (req.create) return this.answer(await this.openSomewhere(mode), req.name);
    // Join-or-create. A quick-play that finds no open room while this node is already opening one
    // for the mode waits for it and looks again: otherwise a burst (a launch, a loadtest, a
    // tournament's start) opens a room per request that arrives before the first room is
    // registered, and 200 players at once sat in 13 to 39 rooms of a 16-player mode.
    for (let waits = 0; ; waits++) {
      const r = await this.redisCall(() => this.o.redis.tfMatchmake(this.key, prefix, mode.name, '', seatTtlMs, this.skewMs, MAX_EXAMINED));
      if (r[0] === 'ok') return this.answer(r, req.name);
      const opening = this.opening.get(mode.name);
      if (!opening || waits >= MAX_OPENING_WAITS) break;
      await opening.catch(() => undefined);
    }
    const opening = this.openSomewhere(mode);
    this.opening.set(mode.name, opening);
    try {
      return this.answer(await opening, req.name);
    } finally {
      if (this.opening.get(mode.name) === opening) this.opening.delete(mode.name);
    }
  }

  /** Places a new room on the least-loaded live node that is not draining; its first seat. */
  private async openSomewhere(mode: ModeDefinition<Schema, unknown>): Promise<Reply[]> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const node = await this.redisCall(() => this.o.redis.tfPlace(this.key, this.o.prefix, PLACEMENT_WEIGHT));
      if (!node) break;
      try {
        return node === this.o.nodeId ? await this.openHere(mode) : await this.rpc.open(node, mode.name);
      } catch (err) {
        lastError = err as Error;
        if (err instanceof TickforgeError && err.code === 'TF_ERR_DIRECTORY_UNAVAILABLE') throw err;
        this.o.log.warn({ node, err: lastError.message }, 'node could not open a room; placing it elsewhere');
      }
    }
    // Nobody else could: this node opens it, unless it is draining or full.
    if (!this.lease.draining && this.o.host.size < this.o.maxRooms) return this.openHere(mode);
    throw Errors.noNodeAvailable();
  }

  /** Opens a room here and registers it in the directory with its first seat. */
  async openHere(mode: ModeDefinition<Schema, unknown>): Promise<Reply[]> {
    if (this.lease.draining || this.closed) throw Errors.shuttingDown();
    const room: Room = this.o.host.create(mode);
    this.lease.registering.add(room.id);
    try {
      const r = await this.redisCall(() =>
        this.o.redis.tfRegister(
          this.key,
          this.o.prefix,
          this.o.nodeId,
          this.o.seatTtlMs,
          this.skewMs,
          1,
          room.id,
          mode.name,
          mode.maxPlayers,
          room.occupancy,
          room.playerCount,
          room.tick,
          '',
        ),
      );
      if (r[0] !== 'ok') throw r[1] === 'lease' ? Errors.directoryUnavailable() : Errors.roomCrashed(mode.name);
      return r;
    } catch (err) {
      room.dispose(...CloseReasons.roomEmpty);
      throw err;
    } finally {
      this.lease.registering.delete(room.id);
    }
  }

  private answer(r: Reply[], name: string): MatchmakeAnswer {
    const [, roomId, mode, , url, seatId, expiresAt] = r as [string, string, string, string, string, string, number];
    const token = this.o.tokens.sign({ roomId, seatId, expiresAt, name });
    return { roomId, mode, token, expiresInMs: this.o.seatTtlMs, url: seatSocketUrl(token, url || this.o.publicUrl) };
  }

  async list(mode?: string): Promise<(RoomSummary & { node: string })[]> {
    const flat = await this.redisCall(() => this.o.redis.tfList(this.key, this.o.prefix, mode ?? ''));
    const out: (RoomSummary & { node: string })[] = [];
    for (let i = 0; i < flat.length; i += 7) {
      out.push({
        id: String(flat[i]),
        mode: String(flat[i + 1]),
        players: Number(flat[i + 2]),
        seatsTaken: Number(flat[i + 3]),
        maxPlayers: Number(flat[i + 4]),
        tick: Number(flat[i + 5]),
        node: String(flat[i + 6]),
      });
    }
    return out;
  }

  /** What this node sees of the cluster (GET /health). Never throws: Redis away reads as 'down'. */
  async health(): Promise<ClusterHealth> {
    const node = { id: this.o.nodeId, url: this.o.publicUrl, draining: this.lease.draining, rooms: this.o.host.size };
    const lastHeartbeatMs = this.lease.lastBeatAt ? Date.now() - this.lease.lastBeatAt : null;
    try {
      const nodes = await this.nodes();
      return { node, redis: 'up', lastHeartbeatMs, nodes };
    } catch {
      return { node, redis: 'down', lastHeartbeatMs, nodes: [] };
    }
  }

  async nodes(): Promise<NodeView[]> {
    const flat = await this.o.redis.tfNodes(this.key, this.o.prefix);
    const out: NodeView[] = [];
    for (let i = 0; i < flat.length; i += 7) {
      out.push({
        id: String(flat[i]),
        url: String(flat[i + 1]),
        clients: Number(flat[i + 2]),
        rooms: Number(flat[i + 3]),
        draining: flat[i + 4] === '1',
        leaseMs: Number(flat[i + 5]),
        startedAt: Number(flat[i + 6]),
      });
    }
    this.urlsOf = new Map(out.map((n) => [n.id, n.url]));
    this.origins = new Set([new URL(this.o.publicUrl).origin, ...out.flatMap((n) => originOf(n.url))]);
    return out;
  }

  /**
   * True for the page origin of a live node of this cluster, so a page served by node A may open
   * the game socket on node B when ALLOWED_ORIGINS is set. Refreshed when the live set changes.
   */
  async isClusterOrigin(origin: string): Promise<boolean> {
    if (this.origins.has(origin)) return true;
    // Perhaps a node that joined since the last look: look again, at most four times a second.
    const now = Date.now();
    if (now - this.lookedAt < 250) return false;
    this.lookedAt = now;
    await this.nodes().catch(() => undefined);
    return this.origins.has(origin);
  }
  private lookedAt = 0;

  /** Leaves the cluster: lease and rooms out of Redis (the rooms must be closed already), connections closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.unlisten();
    this.lease.stop();
    this.rpc.close();
    await this.o.redis.tfDeregister(this.key, this.o.prefix, this.o.nodeId).catch(() => undefined);
    this.o.subscriber.disconnect();
    this.o.redis.disconnect();
  }

  /** Runs a Redis call; a connection problem (down, timeout) becomes 503 TF_ERR_DIRECTORY_UNAVAILABLE. */
  private async redisCall<T>(fn: () => Promise<T>): Promise<T> {
    if (this.o.redis.status !== 'ready') throw Errors.directoryUnavailable();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TickforgeError) throw err;
      if ((err as Error).name === 'ReplyError') throw err;
      throw Errors.directoryUnavailable();
    }
  }
}

function originOf(url: string): string[] {
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}
