/**
 * One connection seated in a room, as the room sees it: its player, the sink its messages go to,
 * where it is in its life (`ClientPhase`), its input queue and its flood limiters. The transport
 * (transport/ws-game-socket.ts, the harness, a bench) holds the `RoomClient` that `attach` returned and hands it
 * back with every message and at the end of the connection.
 */
import type { ModePlayer } from '@tickforge/shared';
import { InputQueue } from './input-queue';
import type { RateLimit, RoomLimits } from './limits';
import { RateLimiter } from './rate-limiter';

/** Where a room's messages to one client go. The transport decides how bytes reach the wire. */
export interface ClientSink {
  /** Sends one complete protocol message. */
  send(message: Uint8Array): void;
  /**
   * Sends a PATCH or RESYNC: the 6-byte header from these fields, then `body` (shared, never
   * mutated); then `then`, when given, as the next complete protocol message (the tick's
   * STATE_HASH), in the same write where the transport can. `before`, when given, is a complete
   * message that goes first, in the same write (under interest: the previous tick's STATE_HASH).
   */
  sendPatch(type: number, tick: number, ack: number, body: Uint8Array, bufferOffsetMs?: number, then?: Uint8Array, before?: Uint8Array): void;
  /** Closes the connection with a close code and a reason (≤ 123 bytes). */
  close(code: number, reason: string): void;
  /** Bytes queued for this client and not yet written to the network. */
  readonly bufferedAmount: number;
  /** The connection's last measured round trip in ms, if the transport measures one (the admin API shows it). */
  readonly rttMs?: number;
  /** Message bytes written for this client, if the transport counts them. */
  readonly bytesOut?: number;
}

/**
 * 'joining': seated, the mode has not seen the player yet; 'welcoming': joined, full state due;
 * 'playing': gets every patch; 'resync': patches suspended (slow reader), full state once it
 * drains; 'gone': the connection is no longer served.
 */
export type ClientPhase = 'joining' | 'welcoming' | 'playing' | 'resync' | 'gone';

export interface RoomClient {
  readonly player: ModePlayer;
  readonly sink: ClientSink;
  /** Last input sequence number received (validated to increase). */
  lastSeq: number;
  /** Frames waiting for their tick; `inputs.ack` and `inputs.offsetMs` go back with every patch. */
  readonly inputs: InputQueue;
  phase: ClientPhase;
  /** Clock time at which patches to this client were suspended (phase 'resync'). */
  resyncSince: number;
  /**
   * The client reported a state hash mismatch: after this tick's patch it gets a RESYNC of the same
   * tick, so it can compare the state it had with the server's field by field.
   */
  wantsFullState: boolean;
  /**
   * Under interest: the STATE_HASH of this client's view after the last tick, computed after that
   * tick; it goes in front of the next tick's patch, in the same write (snapshot-sender.ts).
   */
  viewHash: Uint8Array | undefined;
  /** Reconnect-token generation of this connection; each reconnection bumps it. */
  readonly generation: number;
  readonly chatLimiter: RateLimiter;
  readonly inputLimiter: RateLimiter;
  readonly pingLimiter: RateLimiter;
  readonly resyncLimiter: RateLimiter;
  /** Message bytes received from this client (counted by the room). */
  bytesIn: number;
}

export type AttachResult = { ok: true; client: RoomClient } | { ok: false; code: number; reason: string };

/**
 * Why a connection ended: 'left' on purpose (LEAVE or a close handshake), 'dropped' by the network
 * without a close handshake (or by us for reading too slowly), 'kicked' for breaking the protocol.
 * Only 'dropped' keeps the seat.
 */
export type Departure = 'left' | 'dropped' | 'kicked';

const limiter = (rate: RateLimit, now: number, scale = 1) =>
  new RateLimiter(rate.perSecond * scale, rate.burst * scale, rate.closeAfterStrikes * scale, now, (rate.initial ?? rate.burst) * scale);

export function createRoomClient(player: ModePlayer, sink: ClientSink, generation: number, phase: ClientPhase, limits: RoomLimits, tickRate: number, now: number): RoomClient {
  return {
    player,
    sink,
    lastSeq: 0,
    inputs: new InputQueue({ tickRate, capacity: limits.inputQueue, maxExtraPerTick: limits.inputCatchUpPerTick }),
    phase,
    resyncSince: 0,
    wantsFullState: false,
    viewHash: undefined,
    generation,
    chatLimiter: limiter(limits.chatRate, now),
    inputLimiter: limiter(limits.inputRatePerTick, now, tickRate),
    pingLimiter: limiter(limits.pingRate, now),
    resyncLimiter: limiter(limits.resyncRate, now),
    bytesIn: 0,
  };
}
