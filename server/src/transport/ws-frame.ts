/**
 * The RFC 6455 §5.2 header of a server-to-client frame, written by hand so that a message goes out
 * as ONE pre-framed buffer (see ws-sink.ts). Final, binary, unmasked; byte-identical to what ws's
 * own `Sender.frame` writes (ws-frame.test.ts checks it at every length boundary).
 */

/** Bytes of a server-to-client WebSocket frame header for `n` payload bytes. */
export function frameHeaderBytes(n: number): number {
  return n < 126 ? 2 : n < 65536 ? 4 : 10;
}

/** Writes the header of a frame of `n` payload bytes at `offset` of `buf`; answers where its payload goes. */
export function writeFrameHeader(buf: Buffer, offset: number, n: number): number {
  buf[offset] = 0x82; // FIN + binary
  if (n < 126) {
    buf[offset + 1] = n;
    return offset + 2;
  }
  if (n < 65536) {
    buf[offset + 1] = 126;
    buf.writeUInt16BE(n, offset + 2);
    return offset + 4;
  }
  buf[offset + 1] = 127;
  buf.writeUInt32BE(0, offset + 2);
  buf.writeUInt32BE(n, offset + 6);
  return offset + 10;
}
