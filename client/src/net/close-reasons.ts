/**
 * What a closed game connection means for the player, by close code and, where one code has
 * several causes, by the server's reason (both from shared/src/protocol/close-reasons.ts).
 */
import { CloseCode, CloseReasons, ObservedCloseCode } from '@tickforge/shared';

export function describeClose(code: number, reason: string): string {
  const why = reason ? ` (${reason})` : '';
  switch (code) {
    case CloseCode.NORMAL:
      return `The server ended the game${why}.`;
    case CloseCode.GOING_AWAY:
      return reason === CloseReasons.shuttingDown[1] || !reason ? 'The server is shutting down or restarting.' : `The server closed the room${why}.`;
    case ObservedCloseCode.NO_STATUS:
      return 'The server closed the connection without a reason: it may have stopped or restarted.';
    case ObservedCloseCode.ABNORMAL_CLOSURE:
      return 'The connection dropped without a goodbye: the server stopped, or the network went away.';
    case CloseCode.SEAT_INVALID:
    case CloseCode.SEAT_EXPIRED:
    case CloseCode.SEAT_USED:
      return `The server refused this seat${why}. Joining again gets a fresh one.`;
    case CloseCode.ROOM_GONE:
      return 'The room no longer exists.';
    case CloseCode.ROOM_CRASHED:
      return `The room's game mode failed and the room was closed${why}.`;
    case CloseCode.TOO_SLOW:
      return 'The connection could not keep up with the game and was closed.';
    case CloseCode.REPLACED:
      return 'You joined this seat from somewhere else.';
    case CloseCode.KICKED:
      return 'An operator removed you from the room.';
    case CloseCode.ROOM_CLOSED_BY_OPERATOR:
      return 'An operator closed the room.';
    default:
      return `The server closed the connection: code ${code}${why}.`;
  }
}
