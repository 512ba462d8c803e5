/**
 * The RFC 6455 §5.2 header of a server-to-client frame, written by hand so that a message goes out
 * as ONE pre-framed buffer (see ws-sink.ts). Final, binary, unmasked; byte-identical to what ws's
 * own `Sender.frame` writes (ws-frame.test.ts checks it at every length boundary).
 */

/** Bytes of a server-to-client WebSocket frame header for `n` payload bytes. */
export function frameHeaderBytes(n: number): number {
  return n < 126 ? 2 : n < 65536 ? 4 : 10;
}

/** A buffer holding an unmasked, final, binary frame header for `n` payload bytes; the payload goes at `at`. */
export function binaryFrame(n: number, at: number = frameHeaderBytes(n)): Buffer {
  const frame = Buffer.allocUnsafe(at + n);
  frame[0] = 0x82; // FIN + binary
  if (at === 2) frame[1] = n;
  else if (at === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(n, 6);
  }
  return frame;
}
