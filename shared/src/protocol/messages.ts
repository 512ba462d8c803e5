/**
 * Encoding and decoding of every protocol message (docs/protocol.md). Both sides use this file;
 * decoders of client messages validate everything and report a close code and reason instead of
 * throwing, so the server can close only the offender.
 */
import { ByteReader, ByteWriter, textDecoder, textEncoder } from './bytes';
import { ClientMessage, EVENTS_FLAG, MAX_CHAT_CHARS, MAX_DESYNC_REPORT_BYTES, MAX_TICK_EVENT_BYTES, PROTOCOL_VERSION, ServerMessage } from './constants';
import { CloseReasons } from './close-reasons';
import type { InputLayout } from './input-layout';
import type { PatchClock } from './patch-clock';

/**
 * Bytes before the schema patch in a PATCH (and RESYNC) message: type, u16 tick, u16 acknowledged
 * sequence (both mod 65536: patch-clock.ts unwraps them), and the input-buffer offset (how far
 * this client's inputs wait on the server from target, ms).
 */
export const PATCH_HEADER_BYTES = 6;

/** The input-buffer offset travels as a signed byte of milliseconds; larger offsets saturate. */
export const MAX_BUFFER_OFFSET_MS = 127;

/**
 * The view time of an INPUT (the server tick the client was drawing other entities at) travels as
 * a u16 of 1/16 ticks that wraps every 4096 ticks (136 s at 30 Hz): the server unwraps it against
 * its own tick (`unwrapViewTick`), which is never more than a few ticks ahead of it.
 */
export const VIEW_TICK_UNITS = 16;

export function wrapViewTick(viewTick: number): number {
  const units = Math.round(Math.max(0, viewTick) * VIEW_TICK_UNITS);
  return ((units % 65536) + 65536) % 65536;
}

/**
 * The view tick whose wire form is `wire`, nearest to `currentTick`: at most 2048 ticks back; a
 * view claimed ahead of the server reads as `currentTick` (nobody sees the future).
 */
export function unwrapViewTick(wire: number, currentTick: number): number {
  const now = Math.round(currentTick * VIEW_TICK_UNITS);
  const back = (((now - wire) % 65536) + 65536) % 65536;
  return back > 32768 ? currentTick : (now - back) / VIEW_TICK_UNITS;
}

export interface Welcome {
  protocolVersion: number;
  playerId: number;
  tickRate: number;
  /** The tick whose state `state` is; patches continue from tick + 1. */
  tick: number;
  /** Server clock in ms when the message was written. */
  serverTime: number;
  mode: string;
  roomId: string;
  /**
   * Signed token that gets this player back after a dropped connection (GET /ws?reconnect=...),
   * within the server's reconnection grace. Single use: every WELCOME carries a fresh one.
   * Absent (an empty string on the wire) when the server offers no reconnection.
   */
  reconnectToken?: string;
  /** Full schema state (Encoder.encodeAll). */
  state: Uint8Array;
}

export function encodeWelcome(m: Omit<Welcome, 'protocolVersion'>): Uint8Array {
  const token = m.reconnectToken ?? '';
  return new ByteWriter(new Uint8Array(64 + token.length + m.state.byteLength))
    .u8(ServerMessage.WELCOME)
    .u8(PROTOCOL_VERSION)
    .u16(m.playerId)
    .u8(m.tickRate)
    .u32(m.tick)
    .f64(m.serverTime)
    .shortString(m.mode)
    .shortString(m.roomId)
    .shortString(token)
    .raw(m.state)
    .finish();
}

/**
 * Writes the 6-byte PATCH/RESYNC header at `at`: type, u16 tick and u16 ack (each mod 65536; the
 * receiver's PatchClock unwraps them), i8 input-buffer offset (ms, saturating), little-endian. Runs
 * once per client per tick on the server, so it writes bytes directly rather than through a DataView.
 */
export function writePatchHeader(out: Uint8Array, at: number, type: number, tick: number, ack: number, bufferOffsetMs = 0): void {
  out[at] = type;
  out[at + 1] = tick & 0xff;
  out[at + 2] = (tick >>> 8) & 0xff;
  out[at + 3] = ack & 0xff;
  out[at + 4] = (ack >>> 8) & 0xff;
  const offset = Math.round(bufferOffsetMs);
  out[at + 5] = (offset > MAX_BUFFER_OFFSET_MS ? MAX_BUFFER_OFFSET_MS : offset < -MAX_BUFFER_OFFSET_MS ? -MAX_BUFFER_OFFSET_MS : offset || 0) & 0xff;
}

export function encodePatch(tick: number, ack: number, patch: Uint8Array, type: number = ServerMessage.PATCH, bufferOffsetMs = 0): Uint8Array {
  const out = new Uint8Array(PATCH_HEADER_BYTES + patch.byteLength);
  writePatchHeader(out, 0, type, tick, ack, bufferOffsetMs);
  out.set(patch, PATCH_HEADER_BYTES);
  return out;
}

/**
 * The body of a PATCH or RESYNC that carries events (sent with the type | EVENTS_FLAG): u16 length
 * of `events`, the events, then the schema bytes. Built once per tick and shared by every client.
 */
export function patchBodyWithEvents(events: Uint8Array, state: Uint8Array): Uint8Array {
  if (events.byteLength > MAX_TICK_EVENT_BYTES) throw new Error(`${events.byteLength} bytes of events in one tick; at most ${MAX_TICK_EVENT_BYTES}`);
  const out = new Uint8Array(2 + events.byteLength + state.byteLength);
  out[0] = events.byteLength & 0xff;
  out[1] = events.byteLength >>> 8;
  out.set(events, 2);
  out.set(state, 2 + events.byteLength);
  return out;
}

export function encodePong(clientTime: number, serverTime: number): Uint8Array {
  return new ByteWriter(new Uint8Array(17)).u8(ServerMessage.PONG).f64(clientTime).f64(serverTime).finish();
}

export function encodeError(code: number, message: string): Uint8Array {
  return new ByteWriter().u8(ServerMessage.ERROR).u16(code).shortString(message).finish();
}

export function encodeChatBroadcast(playerId: number, name: string, text: string): Uint8Array {
  return new ByteWriter().u8(ServerMessage.CHAT).u16(playerId).shortString(name).raw(textEncoder.encode(text)).finish();
}

/** STATE_HASH: type, u32 tick, u32 hash of the state after that tick (9 bytes). */
export function encodeStateHash(tick: number, hash: number): Uint8Array {
  return new ByteWriter(new Uint8Array(9)).u8(ServerMessage.STATE_HASH).u32(tick).u32(hash).finish();
}

export type ServerMessageDecoded =
  | ({ type: typeof ServerMessage.WELCOME } & Welcome)
  | {
      type: typeof ServerMessage.PATCH | typeof ServerMessage.RESYNC;
      /** The tick: full when decoded with the connection's PatchClock, else the wire's u16 (tick mod 65536). */
      tick: number;
      /** The last input sequence applied: full with a PatchClock, else the wire's u16 (mod 65536). */
      ack: number;
      /** How far your inputs wait on the server from its target, ms: > 0 too long (send slower), < 0 too short (send faster). */
      bufferOffsetMs: number;
      state: Uint8Array;
      /** The tick's mode events, still encoded (the mode's `events.read` decodes them); absent when none. */
      events?: Uint8Array;
    }
  | { type: typeof ServerMessage.PONG; clientTime: number; serverTime: number }
  | { type: typeof ServerMessage.ERROR; code: number; message: string }
  | { type: typeof ServerMessage.CHAT; playerId: number; name: string; text: string }
  | { type: typeof ServerMessage.STATE_HASH; tick: number; hash: number };

/**
 * Client-side decoder. Throws on malformed server data (a server bug, not a user error). With the
 * connection's `clock`, a WELCOME sets it and a PATCH or RESYNC comes out with its full tick and
 * ack (patch-clock.ts); without one, those two are the wire's u16s.
 */
export function decodeServerMessage(bytes: Uint8Array, clock?: PatchClock): ServerMessageDecoded {
  const r = new ByteReader(bytes);
  const type = r.u8();
  let out: ServerMessageDecoded;
  switch (type) {
    case ServerMessage.WELCOME: {
      const protocolVersion = r.u8();
      if (protocolVersion !== PROTOCOL_VERSION) {
        throw new Error(`server speaks protocol ${protocolVersion}, this client ${PROTOCOL_VERSION}`);
      }
      // Fields are read in wire order; an empty token means the server offers no reconnection.
      const head = { playerId: r.u16(), tickRate: r.u8(), tick: r.u32(), serverTime: r.f64(), mode: r.shortString(), roomId: r.shortString() };
      const reconnectToken = r.shortString();
      out = { type, protocolVersion, ...head, ...(reconnectToken ? { reconnectToken } : {}), state: r.rest() };
      clock?.welcome(head.tick);
      break;
    }
    case ServerMessage.PATCH:
    case ServerMessage.RESYNC: {
      const tick = r.u16();
      const ack = r.u16();
      out = { type, tick: clock ? clock.patchTick(tick) : tick, ack: clock ? clock.ack(ack) : ack, bufferOffsetMs: r.i8(), state: r.rest() };
      break;
    }
    case ServerMessage.PATCH | EVENTS_FLAG:
    case ServerMessage.RESYNC | EVENTS_FLAG: {
      const wireTick = r.u16();
      const wireAck = r.u16();
      const tick = clock ? clock.patchTick(wireTick) : wireTick;
      const ack = clock ? clock.ack(wireAck) : wireAck;
      const bufferOffsetMs = r.i8();
      const events = r.bytesOf(r.u16());
      out = { type: type & ~EVENTS_FLAG, tick, ack, bufferOffsetMs, events, state: r.rest() } as ServerMessageDecoded;
      break;
    }
    case ServerMessage.PONG:
      out = { type, clientTime: r.f64(), serverTime: r.f64() };
      break;
    case ServerMessage.ERROR:
      out = { type, code: r.u16(), message: r.shortString() };
      break;
    case ServerMessage.CHAT:
      out = { type, playerId: r.u16(), name: r.shortString(), text: textDecoder.decode(r.rest()) };
      break;
    case ServerMessage.STATE_HASH:
      out = { type, tick: r.u32(), hash: r.u32() };
      break;
    default:
      throw new Error(`unknown server message type 0x${type.toString(16)}`);
  }
  if (r.truncated) throw new Error(`truncated server message 0x${type.toString(16)}`);
  return out;
}

// ---- client to server ----------------------------------------------------------------------

/** Bytes of an INPUT before the mode's fields: type, u32 sequence, u16 view tick. */
export const INPUT_HEADER_BYTES = 7;

/**
 * One input frame. `viewTick` is the (fractional) server tick the client was drawing other
 * entities at when it produced the frame, for lag compensation; a client that does not interpolate
 * sends the newest tick it has.
 */
export function encodeInput<I>(layout: InputLayout<I>, seq: number, input: I, viewTick = 0): Uint8Array {
  const w = new ByteWriter(new Uint8Array(INPUT_HEADER_BYTES + layout.bytes)).u8(ClientMessage.INPUT).u32(seq).u16(wrapViewTick(viewTick));
  layout.write(w, input);
  return w.finish();
}

export function encodePing(clientTime: number): Uint8Array {
  return new ByteWriter(new Uint8Array(9)).u8(ClientMessage.PING).f64(clientTime).finish();
}

export function encodeLeave(): Uint8Array {
  return Uint8Array.of(ClientMessage.LEAVE);
}

export function encodeChat(text: string): Uint8Array {
  const body = textEncoder.encode(text);
  const out = new Uint8Array(1 + body.byteLength);
  out[0] = ClientMessage.CHAT;
  out.set(body, 1);
  return out;
}

export function encodeResyncRequest(tick: number): Uint8Array {
  return new ByteWriter(new Uint8Array(5)).u8(ClientMessage.RESYNC_REQUEST).u32(tick).finish();
}

/** DESYNC_REPORT: type, u32 tick of the mismatching hash, UTF-8 text (cut to MAX_DESYNC_REPORT_BYTES). */
export function encodeDesyncReport(tick: number, field: string): Uint8Array {
  let body = textEncoder.encode(field);
  if (body.byteLength > MAX_DESYNC_REPORT_BYTES) {
    let end = MAX_DESYNC_REPORT_BYTES;
    while (end > 0 && (body[end]! & 0xc0) === 0x80) end--;
    body = body.subarray(0, end);
  }
  return new ByteWriter(new Uint8Array(5 + body.byteLength)).u8(ClientMessage.DESYNC_REPORT).u32(tick).raw(body).finish();
}

export type ClientMessageDecoded<I> =
  | { type: typeof ClientMessage.INPUT; seq: number; /** Wire form of the view tick: see `unwrapViewTick`. */ view: number; input: I }
  | { type: typeof ClientMessage.PING; clientTime: number }
  | { type: typeof ClientMessage.LEAVE }
  | { type: typeof ClientMessage.CHAT; text: string }
  | { type: typeof ClientMessage.RESYNC_REQUEST; tick: number }
  | { type: typeof ClientMessage.DESYNC_REPORT; tick: number; field: string };

/** Why a client message was refused: the close code to send and a reason for humans (≤ 123 bytes). */
export interface ProtocolViolation {
  type: 'violation';
  code: number;
  reason: string;
}

function violation(code: number, reason: string): ProtocolViolation {
  return { type: 'violation', code, reason };
}

/**
 * Server-side decoder of one binary client message. Never throws: anything malformed comes back as
 * a violation with its close code (1007 invalid data, 1008 unknown type).
 */
export function decodeClientMessage<I>(bytes: Uint8Array, layout: InputLayout<I>): ClientMessageDecoded<I> | ProtocolViolation {
  if (bytes.byteLength === 0) return violation(...CloseReasons.emptyMessage);
  const r = new ByteReader(bytes);
  const type = r.u8();
  switch (type) {
    case ClientMessage.INPUT: {
      if (bytes.byteLength !== INPUT_HEADER_BYTES + layout.bytes) {
        return violation(...CloseReasons.inputLength(INPUT_HEADER_BYTES + layout.bytes, bytes.byteLength));
      }
      const seq = r.u32();
      const view = r.u16();
      const read = layout.read(r);
      if (!read.ok) return violation(...CloseReasons.badInput(read.error));
      return { type, seq, view, input: read.value };
    }
    case ClientMessage.PING: {
      if (bytes.byteLength !== 9) return violation(...CloseReasons.pingLength(bytes.byteLength));
      const clientTime = r.f64();
      if (!Number.isFinite(clientTime)) return violation(...CloseReasons.pingTimeNotFinite);
      return { type, clientTime };
    }
    case ClientMessage.LEAVE:
      if (bytes.byteLength !== 1) return violation(...CloseReasons.leaveWithBody);
      return { type };
    case ClientMessage.CHAT: {
      let text: string;
      try {
        text = textDecoder.decode(r.rest());
      } catch {
        return violation(...CloseReasons.chatNotUtf8);
      }
      if (text.length === 0 || text.trim().length === 0) return violation(...CloseReasons.chatEmpty);
      if ([...text].length > MAX_CHAT_CHARS) return violation(...CloseReasons.chatTooLong(MAX_CHAT_CHARS));
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(text)) return violation(...CloseReasons.chatControlCharacters);
      return { type, text };
    }
    case ClientMessage.RESYNC_REQUEST:
      if (bytes.byteLength !== 5) return violation(...CloseReasons.resyncRequestLength(bytes.byteLength));
      return { type, tick: r.u32() };
    case ClientMessage.DESYNC_REPORT: {
      if (bytes.byteLength < 5 || bytes.byteLength > 5 + MAX_DESYNC_REPORT_BYTES) {
        return violation(...CloseReasons.desyncReportLength(5 + MAX_DESYNC_REPORT_BYTES, bytes.byteLength));
      }
      const tick = r.u32();
      let field: string;
      try {
        field = textDecoder.decode(r.rest());
      } catch {
        return violation(...CloseReasons.desyncReportNotUtf8);
      }
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(field)) return violation(...CloseReasons.desyncReportControlCharacters);
      return { type, tick, field };
    }
    default:
      return violation(...CloseReasons.unknownMessageType(type));
  }
}
