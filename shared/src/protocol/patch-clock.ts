/**
 * The tick and the acknowledged input of a PATCH or RESYNC travel as u16s (their values mod 65536,
 * 4 bytes a patch fewer than u32s: 120 B per client-second at 30 Hz); a receiver unwraps them
 * against what it already knows about its connection. WELCOME carries the full u32 tick, so every
 * connection starts from an exact tick.
 *
 * - Tick: the full tick is the previous one (the WELCOME's, then each patch's) plus
 *   `(wire - previous) mod 65536`. Ticks only go forward on a connection (TCP keeps the order), so
 *   this is exact while no connection sees 65536 ticks (36 min at 30 Hz) pass between two of its
 *   messages. The server never lets one: a reader whose send buffer fills skips patches for at most
 *   `slowReaderTimeoutMs` (10 s) before it is resynchronised or closed (snapshot-sender.ts), the
 *   heartbeat cuts a dead peer within seconds, and after a stall of the server itself (a suspended
 *   process, whose tick loop then skips what it missed) of 65536 ticks or more the sender drops
 *   every connection (4011, `CloseReasons.serverStalled`) rather than send a tick it would misread;
 *   newcomers get the full u32 tick in their WELCOME.
 * - Ack: the full ack is `lastSentSeq - ((lastSentSeq - wire) mod 65536)`: the newest sequence the
 *   client sent whose low 16 bits match. An ack is never ahead of what the client sent, and never
 *   65536 behind it: the server holds at most `inputQueue` (128, server/src/room/limits.ts) frames
 *   of a client, dropping the oldest beyond (input-queue.ts), and acknowledges the last frame it
 *   applied, so the gap between what a client sent and what is acknowledged is bounded by that
 *   queue plus the frames in flight (the INPUT flood limit, 1.5 frames per tick, closes a client
 *   that sends faster) — seconds' worth, never 65536 frames.
 *
 * Same precedent as INPUT's view tick (messages.ts, `unwrapViewTick`), which the server unwraps
 * against its own tick.
 */

/** Ticks and acks wrap at this on the wire (u16): 36 min 24 s of ticks at 30 Hz. */
export const PATCH_WRAP = 65536;

/** The u16 wire form of a tick or an ack (`value mod 65536`; exact for any integer below 2^53). */
export function wrapPatchNumber(value: number): number {
  return value & 0xffff;
}

/** The full tick whose wire form is `wire`, the first at or after `previousTick`. */
export function unwrapPatchTick(wire: number, previousTick: number): number {
  return previousTick + ((wire - previousTick) & 0xffff);
}

/**
 * The full ack whose wire form is `wire`: the newest sequence at or before `lastSentSeq` with
 * those low 16 bits. An ack ahead of every input sent (no honest server sends one; only a test
 * that writes raw INPUTs beside the client can cause it) reads as `wire` itself.
 */
export function unwrapAck(wire: number, lastSentSeq: number): number {
  const ack = lastSentSeq - ((lastSentSeq - wire) & 0xffff);
  return ack >= 0 ? ack : wire;
}

/**
 * One connection's unwrapping state: the full tick last read and the last input sequence sent.
 * Pass it to `decodeServerMessage`: a WELCOME sets its tick, each PATCH and RESYNC comes out with
 * full tick and ack. The owner keeps `sent` current (the GameClient does in `sendInput`).
 */
export class PatchClock {
  /** Full tick of the last WELCOME, PATCH or RESYNC read. */
  tick = 0;
  /** Last input sequence number sent on this connection (0 on a fresh connection). */
  sent = 0;

  welcome(tick: number): void {
    this.tick = tick;
  }

  /** The full tick of a patch header's `wire` tick; advances `tick`. */
  patchTick(wire: number): number {
    return (this.tick = unwrapPatchTick(wire, this.tick));
  }

  /** The full ack of a patch header's `wire` ack. */
  ack(wire: number): number {
    return unwrapAck(wire, this.sent);
  }
}
