/**
 * Every per-room limit in one table: how much input a player may queue and apply, how far behind a
 * reader may fall before its patches are skipped or it is closed, and the flood limits of each
 * client message. A room takes `DEFAULT_LIMITS` overridden by `RoomOptions.limits` (shallow: a
 * rate limit is replaced whole).
 */

/** A token bucket's figures (rate-limiter.ts): steady rate, burst, and strikes before a close. */
export interface RateLimit {
  perSecond: number;
  burst: number;
  /** Excess messages (decaying at one per second) after which the connection is closed. */
  closeAfterStrikes: number;
  /** Tokens at the start (default: the whole burst). */
  initial?: number;
}

export interface RoomLimits {
  /**
   * Input frames held per player at most, beyond which the oldest are dropped (a memory bound:
   * input-queue.ts drains a backlog to its target within about a second long before this).
   */
  inputQueue: number;
  /** Extra input frames a player may have applied in one tick while catching up after a stall. */
  inputCatchUpPerTick: number;
  /** Lag compensation: how far back `ctx.positionAt` may rewind, ms (0: no lag compensation; at most 1000). */
  maxRewindMs: number;
  /** Send buffer above which a client skips patches and is resynchronised later. */
  slowReaderBytes: number;
  /** Send buffer above which a client is closed. */
  closeReaderBytes: number;
  /** A client whose patches stay suspended (it does not drain) this long is closed. */
  slowReaderTimeoutMs: number;
  /**
   * INPUT flood limit in ticks' worth: every figure is multiplied by the room's tick rate. A client
   * may send 1.5 frames per tick steadily and starts with a second's worth; what it did not send
   * accrues up to ten seconds' worth, so the burst that follows a silence (a frozen link, a paused
   * server) is a catch-up, never a flood. Only more frames than the elapsed time allows (plus that
   * allowance) close the socket. Frames let through do not buy speed: the input queue applies
   * at most one per tick elapsed.
   */
  inputRatePerTick: RateLimit;
  /** PING flood limit. The client pings about once a second to measure round trips; a pong costs us a send. */
  pingRate: RateLimit;
  /** CHAT flood limit: one line a second, five in a burst. */
  chatRate: RateLimit;
  /**
   * RESYNC_REQUEST and DESYNC_REPORT flood limit: a full state costs a send of the whole state, so
   * an honest client (one request per mismatching hash, twice a second at most) stays far below it.
   */
  resyncRate: RateLimit;
}

export const DEFAULT_LIMITS: RoomLimits = {
  inputQueue: 128,
  inputCatchUpPerTick: 2,
  maxRewindMs: 250,
  slowReaderBytes: 64 * 1024,
  closeReaderBytes: 1024 * 1024,
  slowReaderTimeoutMs: 10_000,
  inputRatePerTick: { perSecond: 1.5, burst: 10, closeAfterStrikes: 2, initial: 1 },
  pingRate: { perSecond: 5, burst: 10, closeAfterStrikes: 20 },
  chatRate: { perSecond: 1, burst: 5, closeAfterStrikes: 10 },
  resyncRate: { perSecond: 1, burst: 4, closeAfterStrikes: 10 },
};
