/**
 * Every reason a game socket is closed with, once, next to its close code (constants.ts), so the
 * server that closes, the clients that explain a close and docs/protocol.md cannot drift apart.
 * Each entry is `[code, reason]`: spread it into `close(...)`/`kick(client, ...)`, or compare a
 * received close against it. A reason with runtime details is a function of the details; every
 * reason fits the 123 bytes RFC 6455 §5.5 allows a close frame's reason (ws throws beyond), which
 * close-reasons.test.ts checks and `fitReason` guarantees for the functions.
 */
import { CloseCode } from './constants';

export type CloseReason = readonly [code: number, reason: string];

/**
 * Codes a peer never sends but a WebSocket API reports (RFC 6455 §7.1.5, §7.4.1): a close frame
 * without a code (1005), a connection that ended without a close frame (1006).
 */
export const ObservedCloseCode = {
  NO_STATUS: 1005,
  ABNORMAL_CLOSURE: 1006,
} as const;

/** Longest close reason in UTF-8 bytes (a control frame's 125-byte payload minus the 2-byte code). */
export const MAX_CLOSE_REASON_BYTES = 123;

const encoder = new TextEncoder();

/** `reason`, cut to at most 123 UTF-8 bytes at a character boundary. */
export function fitReason(reason: string): string {
  if (encoder.encode(reason).byteLength <= MAX_CLOSE_REASON_BYTES) return reason;
  let out = '';
  let bytes = 0;
  for (const ch of reason) {
    const n = encoder.encode(ch).byteLength;
    if (bytes + n > MAX_CLOSE_REASON_BYTES - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}...`;
}

const reason = (code: number, text: string): CloseReason => [code, fitReason(text)];

export const CloseReasons = {
  // --- the server ends the game ---
  shuttingDown: [CloseCode.GOING_AWAY, 'server shutting down'],
  roomClosed: [CloseCode.GOING_AWAY, 'room closed'],
  roomEmpty: [CloseCode.NORMAL, 'room empty'],
  /** The player sent LEAVE. */
  left: [CloseCode.NORMAL, 'left'],
  harnessDisposed: [CloseCode.NORMAL, 'harness disposed'],
  roomError: [CloseCode.INTERNAL_ERROR, 'server error in this room'],
  internalError: [CloseCode.INTERNAL_ERROR, 'internal error'],
  modeFailed: (mode: string, tick: number) => reason(CloseCode.ROOM_CRASHED, `game mode "${mode}" failed at tick ${tick}`),
  replaced: [CloseCode.REPLACED, 'replaced by a new connection'],
  tooSlow: [CloseCode.TOO_SLOW, 'client stopped reading'],
  tooSlowForTooLong: [CloseCode.TOO_SLOW, 'client stopped reading for too long'],
  /** The server itself stalled 65536 ticks or more: patch headers' u16 ticks could not be unwrapped (patch-clock.ts). */
  serverStalled: [CloseCode.TOO_SLOW, 'the server stalled for 65536 ticks or more: reconnect for a fresh WELCOME'],

  // --- admission: the seat or reconnect token ---
  noSeatToken: [CloseCode.SEAT_INVALID, 'missing seat token (?token=)'],
  seatTokenMalformed: [CloseCode.SEAT_INVALID, 'seat token malformed'],
  seatTokenForged: [CloseCode.SEAT_INVALID, 'seat token signature invalid'],
  seatTokenExpired: [CloseCode.SEAT_EXPIRED, 'seat token expired'],
  seatTokenUsed: [CloseCode.SEAT_USED, 'seat token already used'],
  seatTokenTooLong: [CloseCode.SEAT_INVALID, 'seat token malformed: over 300 characters'],
  seatTokenRepeated: [CloseCode.SEAT_INVALID, 'seat token given more than once (?token= twice)'],
  reconnectTokenTooLong: [CloseCode.SEAT_INVALID, 'reconnect token malformed: over 300 characters'],
  reconnectTokenRepeated: [CloseCode.SEAT_INVALID, 'reconnect token given more than once (?reconnect= twice)'],
  /** The seat was not claimed within the claim grace and another player needed its place. */
  seatGivenUp: [CloseCode.SEAT_EXPIRED, 'seat given up: not claimed in time and another player needed it'],
  reconnectTokenMalformed: [CloseCode.SEAT_INVALID, 'reconnect token malformed'],
  reconnectTokenForged: [CloseCode.SEAT_INVALID, 'reconnect token signature invalid'],
  reconnectTokenUsed: [CloseCode.SEAT_USED, 'reconnect token already used'],
  nobodyToTakeBack: [CloseCode.SEAT_EXPIRED, 'no player to take back: the reconnection grace ran out or the player left'],
  roomGone: [CloseCode.ROOM_GONE, 'room no longer exists'],
  /** A cluster seat whose room filled up after the directory (Redis) lost its data. */
  seatLostWithDirectory: [CloseCode.SEAT_EXPIRED, 'room full: the seat was lost with the cluster directory'],
  /** The room closed between the token's check and the attach. */
  roomGoneClosed: [CloseCode.ROOM_GONE, 'room closed'],

  // --- the client broke the protocol ---
  textFrame: [CloseCode.UNSUPPORTED_DATA, 'text frames are not part of the protocol'],
  /** A frame ws refused (1002, 1007, 1009), with ws's own message. */
  frameRefused: (code: number, wsMessage: string) => reason(code, wsMessage),
  emptyMessage: [CloseCode.INVALID_DATA, 'empty message'],
  inputLength: (expected: number, got: number) => reason(CloseCode.INVALID_DATA, `input must be ${expected} bytes, got ${got}`),
  /** An input field out of its declared range (the layout says which and why). */
  badInput: (why: string) => reason(CloseCode.INVALID_DATA, why),
  inputSequenceBack: (seq: number, last: number) => reason(CloseCode.INVALID_DATA, `input sequence ${seq} after ${last}`),
  inputSequenceJump: (last: number, seq: number) => reason(CloseCode.INVALID_DATA, `input sequence jumped from ${last} to ${seq}`),
  pingLength: (got: number) => reason(CloseCode.INVALID_DATA, `ping must be 9 bytes, got ${got}`),
  pingTimeNotFinite: [CloseCode.INVALID_DATA, 'ping time is not finite'],
  leaveWithBody: [CloseCode.INVALID_DATA, 'leave carries no body'],
  chatNotUtf8: [CloseCode.INVALID_DATA, 'chat is not valid UTF-8'],
  chatEmpty: [CloseCode.INVALID_DATA, 'empty chat message'],
  chatTooLong: (maxChars: number) => reason(CloseCode.INVALID_DATA, `chat longer than ${maxChars} characters`),
  chatControlCharacters: [CloseCode.INVALID_DATA, 'chat contains control characters'],
  unknownMessageType: (type: number) => reason(CloseCode.POLICY_VIOLATION, `unknown message type 0x${type.toString(16).padStart(2, '0')}`),
  inputFlood: [CloseCode.POLICY_VIOLATION, 'input flood'],
  pingFlood: [CloseCode.POLICY_VIOLATION, 'ping flood'],
  chatFlood: [CloseCode.POLICY_VIOLATION, 'chat flood'],
  /** WebSocket ping control frames beyond the PING message's own limit. */
  controlPingFlood: [CloseCode.POLICY_VIOLATION, 'ping flood (WebSocket ping frames)'],
  controlPongFlood: [CloseCode.POLICY_VIOLATION, 'pong flood (WebSocket pong frames)'],
  resyncRequestLength: (got: number) => reason(CloseCode.INVALID_DATA, `resync request must be 5 bytes, got ${got}`),
  desyncReportLength: (max: number, got: number) => reason(CloseCode.INVALID_DATA, `desync report must be 5..${max} bytes, got ${got}`),
  desyncReportNotUtf8: [CloseCode.INVALID_DATA, 'desync report is not valid UTF-8'],
  desyncReportControlCharacters: [CloseCode.INVALID_DATA, 'desync report contains control characters'],
  /** RESYNC_REQUEST and DESYNC_REPORT together, past their limit (each may cost a full state). */
  resyncFlood: [CloseCode.POLICY_VIOLATION, 'resync flood'],

  // --- an operator (the admin API) ---
  kickedByOperator: [CloseCode.KICKED, 'kicked by an operator'],
  roomClosedByOperator: [CloseCode.ROOM_CLOSED_BY_OPERATOR, 'room closed by an operator'],

  // --- sent by clients ---
  /** GameClient.close(). */
  bye: [CloseCode.NORMAL, 'bye'],
  loadtestDone: [CloseCode.NORMAL, 'loadtest done'],
} as const satisfies Record<string, CloseReason | ((...args: never[]) => CloseReason)>;
