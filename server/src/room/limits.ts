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
}

export interface RoomLimits {
  /** Input frames queued per player beyond which the oldest are dropped (≈ half a second at 30 Hz). */
  inputQueue: number;
  /** Input frames a player may have applied in one tick after a gap (jitter absorption). */
  inputBurst: number;
  /** Send buffer above which a client skips patches and is resynchronised later. */
  slowReaderBytes: number;
  /** Send buffer above which a client is closed. */
  closeReaderBytes: number;
  /** A client whose patches stay suspended (it does not drain) this long is closed. */
  slowReaderTimeoutMs: number;
  /**
   * INPUT flood limit in ticks' worth: every figure is multiplied by the room's tick rate, so a
   * client may send 1.5 frames per tick steadily and a second's worth in a burst.
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
  inputQueue: 16,
  inputBurst: 4,
  slowReaderBytes: 64 * 1024,
  closeReaderBytes: 1024 * 1024,
  slowReaderTimeoutMs: 10_000,
  inputRatePerTick: { perSecond: 1.5, burst: 1, closeAfterStrikes: 2 },
  pingRate: { perSecond: 5, burst: 10, closeAfterStrikes: 20 },
  chatRate: { perSecond: 1, burst: 5, closeAfterStrikes: 10 },
  resyncRate: { perSecond: 1, burst: 4, closeAfterStrikes: 10 },
};
