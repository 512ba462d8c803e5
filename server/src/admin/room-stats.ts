/**
 * What the admin dashboard shows about each room of this process, measured here because nothing
 * else keeps it per room: the last 10 s of tick durations (for p99), and once a second the tick
 * rate held and the bytes per second (from the tick loop's counter and the clients' sinks).
 */
import type { Room } from '../room';

const WINDOW = 512;

interface Sample {
  durations: Float64Array;
  n: number;
  /** Ticks and bytes at the last sample, and when. */
  ticks: number;
  bytes: number;
  at: number;
  heldRate: number;
  bytesPerSecond: number;
}

function roomBytes(room: Room): number {
  let n = 0;
  for (const c of room.connectedClients) n += (c.sink.bytesOut ?? 0) + c.bytesIn;
  return n;
}

export class RoomStats {
  private readonly rooms = new WeakMap<Room, Sample>();

  private of(room: Room): Sample {
    let s = this.rooms.get(room);
    if (!s) {
      s = { durations: new Float64Array(WINDOW), n: 0, ticks: room.loop.stats.ticks, bytes: roomBytes(room), at: performance.now(), heldRate: 0, bytesPerSecond: 0 };
      this.rooms.set(room, s);
    }
    return s;
  }

  /** From the host's onTickMeasured: one tick's duration. */
  tick(room: Room, ms: number): void {
    const s = this.of(room);
    s.durations[s.n++ % WINDOW] = ms;
  }

  /** Once a second: tick rate held and bytes per second since the last sample. */
  sample(rooms: Iterable<Room>, now = performance.now()): void {
    for (const room of rooms) {
      const s = this.of(room);
      const dt = (now - s.at) / 1000;
      if (dt <= 0) continue;
      const ticks = room.loop.stats.ticks;
      const bytes = roomBytes(room);
      s.heldRate = (ticks - s.ticks) / dt;
      s.bytesPerSecond = Math.max(0, bytes - s.bytes) / dt;
      s.ticks = ticks;
      s.bytes = bytes;
      s.at = now;
    }
  }

  summary(room: Room): { heldTickRate: number; tickP99Ms: number; bytesPerSecond: number } {
    const s = this.of(room);
    const n = Math.min(s.n, WINDOW);
    const sorted = Array.from(s.durations.subarray(0, n)).sort((a, b) => a - b);
    const p99 = n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(0.99 * n))]!;
    return { heldTickRate: round(s.heldRate, 1), tickP99Ms: round(p99, 3), bytesPerSecond: Math.round(s.bytesPerSecond) };
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
