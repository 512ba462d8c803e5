/**
 * The game socket's receive path without ws's per-message machinery (issue 13). A client sends
 * 30 input frames a second, each a small masked binary WebSocket frame; through ws each one went
 * through a Writable stream's write (buffering, callbacks, a nextTick), ws's frame parser state
 * machine, a Buffer concat and two event emits before reaching the room. Here the socket's data is
 * parsed in place: every complete, final, masked binary frame of at most 125 bytes at the start of
 * what arrived is unmasked in the chunk itself and handed to `onBinary` synchronously, and the
 * rest of the chunk (anything else: control frames, text, fragments, larger frames, a partial
 * frame) goes to ws's own parser exactly as before, which then keeps every chunk until it is back
 * at a frame boundary with nothing buffered. So ws still owns the protocol: close, ping/pong,
 * every error and its close code; this only skips its work for the frames the game sends.
 *
 * It relies on ws internals (the socket's `socketOnData` listener and the parser's state, read in
 * ws-internals.ts and checked at boot); should a connection not have them, it installs nothing
 * and that socket runs on ws alone.
 */
import { WebSocket } from 'ws';
import { frameFeedOf } from './ws-internals';

/**
 * Delivers the socket's small binary messages to `onBinary` (ws's 'message' event still delivers
 * any that ws parses itself). Returns whether the fast path is installed.
 */
export function receiveBinaryFrames(ws: WebSocket, onBinary: (data: Buffer) => void): boolean {
  const feed = frameFeedOf(ws);
  if (!feed) return false;
  const { tcp, wsOnData } = feed;
  const onData = (chunk: Buffer): void => {
    let at = 0;
    if (ws.readyState === WebSocket.OPEN && feed.idle()) {
      const end = chunk.length;
      while (end - at >= 6) {
        const len = chunk[at + 1]! & 0x7f;
        // FIN + binary, no RSV bits; masked (a client must mask); a 7-bit length; all of it here.
        if (chunk[at] !== 0x82 || (chunk[at + 1]! & 0x80) === 0 || len > 125 || end - at < 6 + len) break;
        const data = at + 6;
        for (let i = 0; i < len; i++) chunk[data + i]! ^= chunk[at + 2 + (i & 3)]!;
        at = data + len;
        onBinary(chunk.subarray(data, at));
        if (ws.readyState !== WebSocket.OPEN) break; // the message closed the connection: ws reads on (its close handshake)
      }
    }
    if (at < chunk.length) wsOnData.call(tcp, at === 0 ? chunk : chunk.subarray(at));
  };
  tcp.removeListener('data', wsOnData);
  tcp.on('data', onData);
  // ws removes its own listener when the socket closes (and reads what is left itself).
  tcp.once('close', () => tcp.removeListener('data', onData));
  return true;
}
