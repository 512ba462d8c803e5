/**
 * The hand-written frame header must be the one ws writes: byte for byte what ws's own
 * `Sender.frame` produces for a final, unmasked, binary frame, at every length boundary of
 * RFC 6455 §5.2 (7-bit, 16-bit and 64-bit lengths).
 */
import { describe, expect, it } from 'vitest';
// ws's sender (ws/lib/sender.js), the reference: what ws.send would have put on the wire.
import * as ws from 'ws';
import { frameHeaderBytes, writeFrameHeader } from './ws-frame';

/** `Sender.frame` is public in ws's code but missing from @types/ws. */
const Sender = (ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender;

function wsFrame(payload: Buffer): Buffer {
  const parts = Sender.frame(payload, { fin: true, opcode: 0x02, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(parts);
}

describe('the pre-framed binary frame', () => {
  for (const n of [0, 125, 126, 65535, 65536]) {
    it(`is byte-identical to ws's Sender.frame at ${n} payload bytes`, () => {
      const payload = Buffer.alloc(n);
      for (let i = 0; i < n; i++) payload[i] = (i * 7 + 3) & 0xff;
      const ours = Buffer.alloc(frameHeaderBytes(n) + n);
      const at = writeFrameHeader(ours, 0, n);
      payload.copy(ours, at);
      expect(ours.equals(wsFrame(payload))).toBe(true);
      expect(at).toBe(frameHeaderBytes(n));
      expect(at).toBe(n < 126 ? 2 : n < 65536 ? 4 : 10);
    });
  }
});
