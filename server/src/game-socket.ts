/**
 * The game socket: binds one WebSocket to one seat of one room. It checks the seat token, turns
 * the room's messages into WebSocket frames, and feeds the client's binary messages to the room.
 * Text frames close with 1003; frames over the size limit are closed by ws with 1009.
 */
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { CloseCode, PATCH_HEADER_BYTES } from '@tickforge/shared';
import type { Clock } from './clock';
import type { TrafficStats } from './metrics';
import type { ClientSink, RoomClient } from './room';
import type { RoomRegistry } from './room-registry';
import type { SeatTokens } from './seat-tokens';

export interface GameSocketDeps {
  registry: RoomRegistry;
  tokens: SeatTokens;
  clock: Clock;
  traffic: TrafficStats;
}

const TOKEN_REFUSALS = {
  malformed: [CloseCode.SEAT_INVALID, 'seat token malformed'],
  forged: [CloseCode.SEAT_INVALID, 'seat token signature invalid'],
  expired: [CloseCode.SEAT_EXPIRED, 'seat token expired'],
} as const;

export function acceptGameSocket(ws: WebSocket, token: string | undefined, deps: GameSocketDeps): void {
  const { traffic } = deps;
  ws.on('error', () => {
    // ws has already chosen a close code (1002, 1007, 1009) and is closing; nothing else to do.
  });
  const refuse = (code: number, reason: string) => {
    traffic.countClose(code);
    ws.close(code, reason);
  };
  if (!token) return refuse(CloseCode.SEAT_INVALID, 'missing seat token (?token=)');
  const check = deps.tokens.verify(token, deps.clock.now());
  if (!check.ok) {
    const [code, reason] = TOKEN_REFUSALS[check.reason];
    return refuse(code, reason);
  }
  const room = deps.registry.get(check.claim.roomId);
  if (!room) return refuse(CloseCode.ROOM_GONE, 'room no longer exists');
  const attached = room.attach(check.claim.seatId, webSocketSink(ws, traffic));
  if (!attached.ok) return refuse(attached.code, attached.reason);
  const client: RoomClient = attached.client;

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    traffic.messagesIn++;
    traffic.bytesIn += data.byteLength;
    if (!isBinary) {
      traffic.countClose(CloseCode.UNSUPPORTED_DATA);
      ws.close(CloseCode.UNSUPPORTED_DATA, 'text frames are not part of the protocol');
      room.detach(client);
      return;
    }
    room.receive(client, data);
  });
  ws.on('close', () => room.detach(client));
}

/**
 * Frames room messages for one WebSocket. Patches, the per-tick hot path, are written as one
 * pre-framed buffer (WebSocket header + 9-byte patch header + the room's shared body) straight to
 * the TCP socket: one allocation and one write per client per tick. This is safe because the
 * server never compresses (perMessageDeflate off), so ws itself writes frames synchronously and
 * never holds one back that ours could overtake.
 */
function webSocketSink(ws: WebSocket, traffic: TrafficStats): ClientSink {
  const tcp = (ws as unknown as { _socket: Socket | null })._socket;
  return {
    send(message) {
      if (ws.readyState !== WebSocket.OPEN) return;
      traffic.messagesOut++;
      traffic.bytesOut += message.byteLength;
      ws.send(message);
    },
    sendPatch(type, tick, ack, body) {
      if (ws.readyState !== WebSocket.OPEN || !tcp || tcp.destroyed) return;
      const n = PATCH_HEADER_BYTES + body.byteLength;
      const h = n < 126 ? 2 : n < 65536 ? 4 : 10;
      const frame = Buffer.allocUnsafe(h + n);
      frame[0] = 0x82; // FIN + binary
      if (h === 2) frame[1] = n;
      else if (h === 4) {
        frame[1] = 126;
        frame.writeUInt16BE(n, 2);
      } else {
        frame[1] = 127;
        frame.writeUInt32BE(0, 2);
        frame.writeUInt32BE(n, 6);
      }
      frame[h] = type;
      frame.writeUInt32LE(tick >>> 0, h + 1);
      frame.writeUInt32LE(ack >>> 0, h + 5);
      frame.set(body, h + PATCH_HEADER_BYTES);
      traffic.messagesOut++;
      traffic.patchesOut++;
      traffic.bytesOut += n;
      tcp.write(frame);
    },
    close(code, reason) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
        traffic.countClose(code);
        ws.close(code, reason);
      }
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
}
