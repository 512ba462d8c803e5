/**
 * Numbers of the Tickforge wire protocol (docs/protocol.md is the readable spec).
 * Every binary WebSocket message starts with one byte naming its type.
 */

/** Bumped on any incompatible change; sent in WELCOME so a client can refuse a server it does not speak. */
export const PROTOCOL_VERSION = 6;

/** Server to client. */
export const ServerMessage = {
  WELCOME: 0x01,
  PATCH: 0x02,
  PONG: 0x03,
  ERROR: 0x04,
  /** Full state again, after the server skipped patches to a slow reader. */
  RESYNC: 0x05,
  CHAT: 0x06,
  /** The server's state hash of a tick (state-hash.ts), every few ticks, after that tick's patch. */
  STATE_HASH: 0x07,
} as const;

/**
 * Set on a PATCH or RESYNC type byte (0x82, 0x85) when the message carries the tick's mode events:
 * after the header, a u16 byte length and the events, then the state. Ticks without events send
 * the plain type, so they cost nothing.
 */
export const EVENTS_FLAG = 0x80;

/** Bytes of the events of one tick at most (the section's u16 length). */
export const MAX_TICK_EVENT_BYTES = 0xffff;

/** Client to server. */
export const ClientMessage = {
  INPUT: 0x10,
  PING: 0x11,
  LEAVE: 0x12,
  CHAT: 0x13,
  /** The client's decoded state did not hash like the server's: send me the full state. */
  RESYNC_REQUEST: 0x14,
  /** After that full state: the first field where the client's state had diverged (for the server's log). */
  DESYNC_REPORT: 0x15,
} as const;

/** Longest field description in a DESYNC_REPORT, in bytes. */
export const MAX_DESYNC_REPORT_BYTES = 200;

/** Largest message a client may send (bytes of WebSocket payload); larger frames close with 1009. */
export const MAX_CLIENT_MESSAGE_BYTES = 512;

/** Longest chat line, in characters. */
export const MAX_CHAT_CHARS = 200;

/**
 * Close codes. 1xxx are RFC 6455's; 4xxx are ours (the range RFC 6455 leaves to applications).
 * A client can branch on the number; the reason string is for humans.
 */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** A frame that breaks RFC 6455 framing (ws closes it; the server says why). */
  PROTOCOL_ERROR: 1002,
  /** A text frame: this protocol is binary only. */
  UNSUPPORTED_DATA: 1003,
  /** A binary message that is truncated, has trailing bytes, or carries an out-of-range value. */
  INVALID_DATA: 1007,
  /** An unknown message type, a flood, or anything else against the rules. */
  POLICY_VIOLATION: 1008,
  /** A message over MAX_CLIENT_MESSAGE_BYTES. */
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  /** The socket opened without a seat token, or with one that is malformed or forged. */
  SEAT_INVALID: 4001,
  SEAT_EXPIRED: 4002,
  /** The seat token was already used (tokens are single-use). */
  SEAT_USED: 4003,
  /** The room of the seat no longer exists. */
  ROOM_GONE: 4004,
  /** The room's game mode threw; the room was closed. */
  ROOM_CRASHED: 4010,
  /** The client stopped reading and its send buffer passed the hard limit. */
  TOO_SLOW: 4011,
  /** The same seat connected again elsewhere (reconnection). */
  REPLACED: 4012,
  /** An operator removed this player (admin API). */
  KICKED: 4013,
  /** An operator closed the room (admin API). */
  ROOM_CLOSED_BY_OPERATOR: 4014,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
