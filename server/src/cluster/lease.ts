/**
 * The node's lease and its rooms' published state. Every second the heartbeat (one script call)
 * reaps dead nodes, renews this node's lease (TTL a few seconds) with its address and load, and
 * publishes the rooms whose occupancy changed, with the seats their players took. A node that
 * dies stops renewing, and its lease running out takes it and its rooms out of every answer.
 *
 * When Redis answers that the lease did not exist (first beat; Redis restarted or emptied; the
 * process stalled past its TTL and was reaped), the next beat publishes every room again, so the
 * directory heals itself without a restart. Every tenth beat publishes everything anyway (ticks
 * in room lists, and any drift).
 *
 * Empty rooms close here rather than in the room: an empty room may have a seat reserved in it
 * by another node whose player is on the way, and only Redis knows. RETIRE closes it in the
 * directory atomically with respect to every seat reservation, or keeps it while a seat is
 * pending. Without Redis, an empty room closes once every seat it can have been given expired.
 */
import { CloseCode } from '@tickforge/shared';
import type { DirectoryRedis } from './redis-connection';
import { nodesKey } from './keys';

/** What the lease needs of a room. */
export interface LeasedRoom {
  readonly id: string;
  readonly mode: { readonly name: string; readonly maxPlayers: number };
  readonly occupancy: number;
  readonly playerCount: number;
  readonly tick: number;
  readonly isDisposed: boolean;
  dispose(code: number, reason: string): void;
  /** Ids of seats reserved elsewhere that players took since the last call (the directory forgets them). */
  takeHonouredSeats(): string[];
}

export interface LeaseOptions {
  redis: DirectoryRedis;
  prefix: string;
  nodeId: string;
  /** PUBLIC_URL of this node. */
  url: string;
  ttlMs: number;
  intervalMs: number;
  /** Seat token lifetime plus the clock skew allowed: an empty room older than this has no seat on its way. */
  seatHorizonMs: number;
  rooms(): Iterable<LeasedRoom>;
  /** Rooms beyond which this node takes no new ones (it leaves placement). */
  maxRooms: number;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
  now?: () => number;
  /** After every answered beat, with the ids of the live nodes. */
  onBeat?(liveNodes: string[]): void;
}

export interface LeaseState {
  /** Wall time of the last heartbeat Redis answered, or 0. */
  lastBeatAt: number;
  /** Node ids with a live lease at the last heartbeat. */
  liveNodes: string[];
  draining: boolean;
}

const FULL_EVERY = 10;

export class NodeLease implements LeaseState {
  lastBeatAt = 0;
  liveNodes: string[] = [];
  draining = false;
  /** Beats answered. */
  private beats = 0;
  private publishAll = true;
  private readonly dirty = new Set<LeasedRoom>();
  /** Taken seat ids not yet confirmed to the directory, per room id. */
  private readonly taken = new Map<string, string[]>();
  /** Rooms being registered by the directory: not retired before they are. */
  readonly registering = new Set<string>();
  private readonly emptySince = new Map<LeasedRoom, number>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;
  readonly startedAt = Date.now();

  constructor(private readonly o: LeaseOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      void this.beat().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.o.intervalMs);
      });
    };
    loop();
  }

  /** Marks a room whose occupancy changed, for the next beat. */
  changed(room: LeasedRoom): void {
    this.dirty.add(room);
  }

  /** A room that closed: its state is no longer published (the directory entry goes with RETIRE or DEREGISTER). */
  forget(room: LeasedRoom): void {
    this.dirty.delete(room);
    this.taken.delete(room.id);
    this.emptySince.delete(room);
  }

  /** True when the last heartbeat was answered within the lease TTL: the node is in the directory. */
  get healthy(): boolean {
    return this.lastBeatAt > 0 && this.now() - this.lastBeatAt < this.o.ttlMs;
  }

  /** One heartbeat now (beats never overlap: a call during one waits for it). */
  async beat(): Promise<void> {
    while (this.beating) await this.beating;
    this.beating = this.beatOnce().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async beatOnce(): Promise<void> {
    const { o } = this;
    const all = this.publishAll || this.beats % FULL_EVERY === 0;
    const rooms = all ? [...o.rooms()] : [...this.dirty];
    this.dirty.clear();
    let clients = 0;
    let count = 0;
    for (const r of o.rooms()) {
      clients += r.playerCount;
      count++;
    }
    const args: (string | number)[] = [
      o.prefix,
      o.nodeId,
      o.ttlMs,
      o.url,
      clients,
      count,
      this.draining ? 1 : 0,
      count >= o.maxRooms ? -1 : count * 1000 + Math.min(clients, 999),
      this.startedAt,
    ];
    const sentTaken = new Map<string, string[]>();
    for (const r of rooms) {
      if (r.isDisposed) continue;
      const seats = this.takenOf(r);
      sentTaken.set(r.id, seats);
      args.push(r.id, r.mode.name, r.mode.maxPlayers, r.occupancy, r.playerCount, r.tick, seats.join(','));
    }
    let reply;
    try {
      reply = await o.redis.tfHeartbeat(nodesKey(o.prefix), ...args);
    } catch (err) {
      for (const r of rooms) if (!r.isDisposed) this.dirty.add(r);
      if (!this.publishAll) o.log.warn({ err: (err as Error).message }, 'lease not renewed: redis unreachable; rooms keep running');
      this.publishAll = true;
      await this.closeEmptyRooms(false);
      return;
    }
    for (const [id, seats] of sentTaken) this.confirmTaken(id, seats);
    const [existed, , reaped, ...live] = reply as [number, number, number, ...string[]];
    this.lastBeatAt = this.now();
    this.liveNodes = live;
    this.beats++;
    o.onBeat?.(live);
    if (reaped > 0) o.log.info({ reaped }, 'dead nodes reaped from the directory');
    if (existed === 0 && !all) {
      // Redis lost our lease (restart, FLUSHALL, or we stalled past the TTL): publish everything now.
      o.log.warn({}, 'lease was gone from redis; registering this node and its rooms again');
      this.publishAll = true;
      return this.beatOnce();
    }
    this.publishAll = false;
    await this.closeEmptyRooms(true);
  }

  /** Seats taken in `room` that the directory has not confirmed, including any the room reports now. */
  private takenOf(room: LeasedRoom): string[] {
    const fresh = room.takeHonouredSeats();
    const held = this.taken.get(room.id);
    if (fresh.length === 0) return held ?? [];
    const seats = held ? [...held, ...fresh] : fresh;
    this.taken.set(room.id, seats);
    return seats;
  }

  private confirmTaken(roomId: string, sent: string[]): void {
    const held = this.taken.get(roomId);
    if (!held || sent.length === 0) return;
    const rest = held.slice(sent.length);
    if (rest.length === 0) this.taken.delete(roomId);
    else this.taken.set(roomId, rest);
  }

  private async closeEmptyRooms(redisUp: boolean): Promise<void> {
    const now = this.now();
    for (const room of [...this.o.rooms()]) {
      if (room.isDisposed || this.registering.has(room.id)) continue;
      if (room.occupancy > 0) {
        this.emptySince.delete(room);
        continue;
      }
      const since = this.emptySince.get(room) ?? now;
      this.emptySince.set(room, since);
      if (!redisUp) {
        if (now - since > this.o.seatHorizonMs) room.dispose(CloseCode.NORMAL, 'room empty');
        continue;
      }
      try {
        const seats = this.takenOf(room);
        const closed = await this.o.redis.tfRetire(nodesKey(this.o.prefix), this.o.prefix, this.o.nodeId, room.id, seats.join(','));
        this.confirmTaken(room.id, seats);
        if (closed === 1 && room.occupancy === 0 && !room.isDisposed) room.dispose(CloseCode.NORMAL, 'room empty');
      } catch {
        return; // Redis went away mid-beat; the next beat tries again
      }
    }
  }

  /** Stops the heartbeat (the lease then runs out unless `deregister` removed it first). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
