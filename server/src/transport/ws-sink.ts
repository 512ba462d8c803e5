/**
 * Frames room messages for one WebSocket. Every message is written as one pre-framed buffer
 * (WebSocket header + message) straight to the TCP socket: one allocation and one write system
 * call, where ws.send would cork and writev a header and a body (measured: writev was 10% of the
 * server's CPU for one pong a second per client). For patches, the per-tick hot path, the 6-byte
 * patch header is written into the same buffer before the room's shared body, and the message that
 * follows a patch (the tick's STATE_HASH, twice a second) is a second frame in the same write.
 * Safe because the server never compresses (perMessageDeflate off): ws itself writes frames
 * synchronously and never holds one back that ours could overtake.
 */
import { WebSocket } from 'ws';
import { PATCH_HEADER_BYTES, writePatchHeader } from '@tickforge/shared';
import type { TrafficStats } from '../metrics';
import type { ClientSink } from '../room';
import { binaryFrame, frameHeaderBytes, writeFrameHeader } from './ws-frame';
import { heartbeatRttMs } from './ws-heartbeat';
import { tcpSocketOf } from './ws-internals';

export function webSocketSink(ws: WebSocket, traffic: TrafficStats): ClientSink {
  const tcp = tcpSocketOf(ws);
  return framedSink(traffic, {
    open: () => ws.readyState === WebSocket.OPEN && tcp !== null && !tcp.destroyed,
    write: (frame) => void tcp!.write(frame),
    close(code, reason) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
        traffic.countClose(code);
        ws.close(code, reason);
      }
    },
    // The TCP socket's queue: ws queues nothing of its own when it does not compress, and its
    // bufferedAmount getter was 2.3% of the server's CPU at 256 clients (read per client per tick).
    bufferedAmount: () => (tcp ? tcp.writableLength : 0),
    rttMs: () => heartbeatRttMs(ws),
  });
}

/** Where a framed sink's frames go, and what it asks of the connection. */
export interface FrameWriter {
  open(): boolean;
  /** Writes one buffer of whole frames (the sink does not touch it again). */
  write(frame: Buffer): void;
  close(code: number, reason: string): void;
  bufferedAmount(): number;
  rttMs(): number | undefined;
}

/**
 * A room's sink that frames every message as a binary WebSocket frame, counts it, and hands each
 * message's frames to `out` as one buffer: the sink of a local socket (above) and of a gateway's
 * (transport/gateway/gateways.ts).
 */
export function framedSink(traffic: TrafficStats, out: FrameWriter): ClientSink {
  let sent = 0;
  return {
    send(message) {
      if (!out.open()) return;
      const at = frameHeaderBytes(message.byteLength);
      const frame = binaryFrame(message.byteLength, at);
      frame.set(message, at);
      traffic.messagesOut++;
      traffic.bytesOut += message.byteLength;
      sent += message.byteLength;
      out.write(frame);
    },
    sendPatch(type, tick, ack, body, bufferOffsetMs, then) {
      if (!out.open()) return;
      const n = PATCH_HEADER_BYTES + body.byteLength;
      const at = frameHeaderBytes(n);
      const frame = binaryFrame(n, at, then ? frameHeaderBytes(then.byteLength) + then.byteLength : 0);
      writePatchHeader(frame, at, type, tick, ack, bufferOffsetMs);
      frame.set(body, at + PATCH_HEADER_BYTES);
      traffic.messagesOut++;
      traffic.patchesOut++;
      traffic.bytesOut += n;
      sent += n;
      if (then) {
        frame.set(then, writeFrameHeader(frame, at + n, then.byteLength));
        traffic.messagesOut++;
        traffic.bytesOut += then.byteLength;
        sent += then.byteLength;
      }
      out.write(frame);
    },
    close: (code, reason) => out.close(code, reason),
    get bufferedAmount() {
      return out.bufferedAmount();
    },
    get bytesOut() {
      return sent;
    },
    get rttMs() {
      return out.rttMs();
    },
  };
}
