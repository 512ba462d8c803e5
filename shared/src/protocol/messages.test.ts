import { describe, expect, it } from 'vitest';
import { ArenaInput } from '../modes/arena/input';
import { ClientMessage, CloseCode, EVENTS_FLAG, PROTOCOL_VERSION, ServerMessage } from './constants';
import { PatchClock } from './patch-clock';
import {
  PATCH_HEADER_BYTES,
  decodeClientMessage,
  decodeServerMessage,
  encodeChat,
  encodeChatBroadcast,
  encodeError,
  encodeInput,
  encodeLeave,
  encodePatch,
  encodePing,
  encodePong,
  encodeWelcome,
  patchBodyWithEvents,
  unwrapViewTick,
  wrapViewTick,
} from './messages';

const input = { dx: 1, dy: -1, aim: 1.25, fire: true };

function violation(bytes: Uint8Array) {
  const m = decodeClientMessage(bytes, ArenaInput);
  if (m.type !== 'violation') throw new Error(`expected a violation, got ${JSON.stringify(m)}`);
  return m;
}

describe('client messages', () => {
  it('round-trips an input frame byte-exactly', () => {
    const bytes = encodeInput(ArenaInput, 70000, input, 100.5);
    expect(bytes.byteLength).toBe(1 + 4 + 2 + ArenaInput.bytes);
    expect(ArenaInput.bytes).toBe(7);
    // view tick 100.5 in 1/16 ticks: 1608 = 0x0648
    expect([...bytes.subarray(0, 7)]).toEqual([ClientMessage.INPUT, 0x70, 0x11, 0x01, 0x00, 0x48, 0x06]);
    expect(decodeClientMessage(bytes, ArenaInput)).toEqual({ type: ClientMessage.INPUT, seq: 70000, view: 1608, input });
  });

  it('carries the view tick in 1/16 ticks, wrapping every 4096 ticks, unwrapped against the server tick', () => {
    expect(unwrapViewTick(wrapViewTick(100.5), 103)).toBe(100.5);
    // Far into a long room the wire form wraps; the server still recovers the tick just behind it.
    expect(unwrapViewTick(wrapViewTick(4096 * 7 + 12.25), 4096 * 7 + 20)).toBe(4096 * 7 + 12.25);
    expect(unwrapViewTick(wrapViewTick(4095.5), 4096 + 3)).toBe(4095.5);
    // A view ahead of the server reads as the server's tick: nobody sees the future.
    expect(unwrapViewTick(wrapViewTick(50), 40)).toBe(40);
    // Far in the past it is still the past (the room then clamps it to its rewind bound).
    expect(unwrapViewTick(wrapViewTick(40), 1040)).toBe(40);
  });

  it('round-trips ping, leave and chat', () => {
    expect(decodeClientMessage(encodePing(1234.5), ArenaInput)).toEqual({ type: ClientMessage.PING, clientTime: 1234.5 });
    expect(decodeClientMessage(encodeLeave(), ArenaInput)).toEqual({ type: ClientMessage.LEAVE });
    expect(decodeClientMessage(encodeChat('gg, héllo 🎯'), ArenaInput)).toEqual({ type: ClientMessage.CHAT, text: 'gg, héllo 🎯' });
  });

  it('refuses an empty message with 1007', () => {
    expect(violation(new Uint8Array(0)).code).toBe(CloseCode.INVALID_DATA);
  });

  it('refuses an unknown message type with 1008', () => {
    const v = violation(Uint8Array.of(0x7f, 1, 2));
    expect(v.code).toBe(CloseCode.POLICY_VIOLATION);
    expect(v.reason).toContain('0x7f');
  });

  it('refuses truncated and over-long input frames with 1007', () => {
    const good = encodeInput(ArenaInput, 1, input);
    for (let n = 1; n < good.byteLength; n++) expect(violation(good.subarray(0, n)).code).toBe(CloseCode.INVALID_DATA);
    const long = new Uint8Array(good.byteLength + 1);
    long.set(good);
    expect(violation(long).reason).toMatch(/must be 14 bytes/);
  });

  it('refuses out-of-range input values with 1007 and names the field', () => {
    const bad = (patch: Partial<typeof input>) => encodeInput(ArenaInput, 1, { ...input, ...patch });
    expect(violation(bad({ dx: 2 })).reason).toMatch(/"dx"/);
    expect(violation(bad({ dy: -2 })).reason).toMatch(/"dy"/);
    expect(violation(bad({ aim: Number.NaN })).reason).toMatch(/"aim".*not a finite/);
    expect(violation(bad({ aim: Number.POSITIVE_INFINITY })).reason).toMatch(/"aim"/);
    expect(violation(bad({ aim: 1e9 })).reason).toMatch(/"aim".*outside/);
    const fire = encodeInput(ArenaInput, 1, input);
    fire[fire.byteLength - 1] = 7;
    expect(violation(fire).reason).toMatch(/"fire".*boolean/);
  });

  it('refuses bad pings, leaves and chats with 1007', () => {
    expect(violation(encodePing(1).subarray(0, 5)).code).toBe(CloseCode.INVALID_DATA);
    const nanPing = encodePing(0);
    new DataView(nanPing.buffer).setFloat64(1, Number.NaN, true);
    expect(violation(nanPing).reason).toMatch(/finite/);
    expect(violation(Uint8Array.of(ClientMessage.LEAVE, 0)).code).toBe(CloseCode.INVALID_DATA);
    expect(violation(encodeChat('')).reason).toMatch(/empty/);
    expect(violation(encodeChat('   ')).reason).toMatch(/empty/);
    expect(violation(encodeChat('x'.repeat(201))).reason).toMatch(/200/);
    expect(decodeClientMessage(encodeChat('🎯'.repeat(200)), ArenaInput).type).toBe(ClientMessage.CHAT);
    expect(violation(encodeChat('a\u0000b')).reason).toMatch(/control/);
    expect(violation(Uint8Array.of(ClientMessage.CHAT, 0xff, 0xfe)).reason).toMatch(/UTF-8/);
  });
});

describe('server messages', () => {
  it('round-trips a welcome', () => {
    const state = Uint8Array.of(1, 2, 3, 4);
    const bytes = encodeWelcome({ playerId: 513, tickRate: 30, tick: 99, serverTime: 1500.25, mode: 'arena', roomId: 'abc', state });
    expect(bytes[0]).toBe(ServerMessage.WELCOME);
    expect(bytes[1]).toBe(PROTOCOL_VERSION);
    expect(decodeServerMessage(bytes)).toEqual({
      type: ServerMessage.WELCOME,
      protocolVersion: PROTOCOL_VERSION,
      playerId: 513,
      tickRate: 30,
      tick: 99,
      serverTime: 1500.25,
      mode: 'arena',
      roomId: 'abc',
      state,
    });
  });

  it('writes a patch as a 6-byte header before the shared body: u16 tick and u16 ack, mod 65536', () => {
    const body = Uint8Array.of(9, 8, 7);
    const bytes = encodePatch(0x01020304, 0x0a0b0c0d, body, ServerMessage.PATCH, -20);
    expect(PATCH_HEADER_BYTES).toBe(6);
    expect([...bytes]).toEqual([ServerMessage.PATCH, 4, 3, 0x0d, 0x0c, 0xec, 9, 8, 7]);
    // Without the connection's PatchClock the decoder returns the wire's u16s...
    expect(decodeServerMessage(bytes)).toEqual({ type: ServerMessage.PATCH, tick: 0x0304, ack: 0x0c0d, bufferOffsetMs: -20, state: body });
    expect(decodeServerMessage(encodePatch(5, 6, body, ServerMessage.RESYNC)).type).toBe(ServerMessage.RESYNC);
    // ...with it, the full numbers (patch-clock.test.ts covers the unwrapping).
    const clock = new PatchClock();
    clock.welcome(0x01020300);
    clock.sent = 0x0a0b0c10;
    expect(decodeServerMessage(bytes, clock)).toMatchObject({ tick: 0x01020304, ack: 0x0a0b0c0d });
  });

  it('unwraps the tick and ack of a patch with events too, and a WELCOME sets the clock', () => {
    const clock = new PatchClock();
    decodeServerMessage(encodeWelcome({ playerId: 1, tickRate: 30, tick: 65535, serverTime: 0, mode: 'arena', roomId: 'r', state: new Uint8Array() }), clock);
    expect(clock.tick).toBe(65535);
    clock.sent = 65540;
    const bytes = encodePatch(65537, 65539, patchBodyWithEvents(Uint8Array.of(1, 2), Uint8Array.of(3)), ServerMessage.PATCH | EVENTS_FLAG);
    expect(bytes.byteLength).toBe(PATCH_HEADER_BYTES + 2 + 2 + 1);
    expect(decodeServerMessage(bytes, clock)).toEqual({
      type: ServerMessage.PATCH,
      tick: 65537,
      ack: 65539,
      bufferOffsetMs: 0,
      events: Uint8Array.of(1, 2),
      state: Uint8Array.of(3),
    });
  });

  it('saturates the input-buffer offset at ±127 ms', () => {
    const offset = (ms: number) => (decodeServerMessage(encodePatch(1, 1, new Uint8Array(), ServerMessage.PATCH, ms)) as { bufferOffsetMs: number }).bufferOffsetMs;
    expect(offset(500)).toBe(127);
    expect(offset(-3000)).toBe(-127);
    expect(offset(12.6)).toBe(13);
    expect(offset(Number.NaN)).toBe(0);
  });

  it('round-trips pong, error and chat', () => {
    expect(decodeServerMessage(encodePong(1, 2))).toEqual({ type: ServerMessage.PONG, clientTime: 1, serverTime: 2 });
    expect(decodeServerMessage(encodeError(4001, 'nope'))).toEqual({ type: ServerMessage.ERROR, code: 4001, message: 'nope' });
    expect(decodeServerMessage(encodeChatBroadcast(7, 'ann', 'hi there'))).toEqual({
      type: ServerMessage.CHAT,
      playerId: 7,
      name: 'ann',
      text: 'hi there',
    });
  });

  it('rejects a welcome from another protocol version and truncated messages', () => {
    const bytes = encodeWelcome({ playerId: 1, tickRate: 30, tick: 1, serverTime: 0, mode: 'arena', roomId: 'r', state: new Uint8Array() });
    bytes[1] = PROTOCOL_VERSION + 1;
    expect(() => decodeServerMessage(bytes)).toThrow(/protocol/);
    expect(() => decodeServerMessage(encodePong(1, 2).subarray(0, 10))).toThrow(/truncated/);
    expect(() => decodeServerMessage(Uint8Array.of(0x66))).toThrow(/unknown/);
  });
});
