/**
 * The directory of a single process: matchmaking straight into its own RoomHost, in memory. This is
 * what runs without a shared directory. A seat is reserved before the client's socket connects
 * (the token names it), so a room never overfills between matchmaking and connecting.
 */
import type { MatchmakeAnswer, RoomSummary } from '@tickforge/shared';
import { Errors } from '../errors';
import type { Room } from '../room';
import type { SeatTokens } from '../seat-tokens';
import { seatSocketUrl, type RoomDirectory, type SeatRequest } from './directory';
import type { RoomHost } from './host';

export interface EmbeddedDirectoryOptions {
  host: RoomHost;
  tokens: SeatTokens;
  seatTtlMs: number;
  /** The server's public http(s) URL (PUBLIC_URL); undefined answers relative socket URLs. */
  publicUrl?: string;
}

export class EmbeddedDirectory implements RoomDirectory {
  private stopped = false;

  constructor(private readonly options: EmbeddedDirectoryOptions) {}

  get accepting(): boolean {
    return !this.stopped && this.options.host.accepting;
  }

  async stopMatchmaking(): Promise<void> {
    this.stopped = true;
  }

  async close(): Promise<void> {
    this.stopped = true;
  }

  async list(mode?: string): Promise<RoomSummary[]> {
    const out: RoomSummary[] = [];
    for (const r of this.options.host.all()) {
      if (mode && r.mode.name !== mode) continue;
      out.push({ id: r.id, mode: r.mode.name, players: r.playerCount, seatsTaken: r.occupancy, maxPlayers: r.mode.maxPlayers, tick: r.tick });
    }
    return out;
  }

  async matchmake(req: SeatRequest): Promise<MatchmakeAnswer> {
    if (!this.accepting) throw Errors.shuttingDown();
    const { host, tokens, seatTtlMs, publicUrl } = this.options;
    const mode = host.modeNamed(req.mode);
    let room: Room | undefined;
    if (req.roomId) {
      room = host.get(req.roomId);
      if (!room) throw Errors.roomNotFound(req.roomId);
      if (room.mode !== mode) throw Errors.roomModeMismatch(req.roomId, req.mode);
      if (room.isFull) throw Errors.roomFull(req.roomId, mode.maxPlayers);
    } else if (!req.create) {
      // Fill the fullest room that has space, so rooms fill up rather than spreading thin.
      for (const r of host.all()) {
        if (r.mode === mode && !r.isFull && (!room || r.occupancy > room.occupancy)) room = r;
      }
    }
    room ??= host.create(mode);
    const seat = room.reserveSeat(req.name);
    const token = tokens.sign({ roomId: room.id, seatId: seat.id, expiresAt: seat.expiresAt });
    return { roomId: room.id, mode: mode.name, token, expiresInMs: seatTtlMs, url: seatSocketUrl(token, publicUrl) };
  }
}
