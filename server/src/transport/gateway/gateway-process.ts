/**
 * A gateway: a child process that holds game sockets the room process handed it (gateways.ts), so
 * that writing each tick's patches to them, reading their frames and their heartbeat cost this
 * process's thread, not the room's. It runs the same socket side as a local game socket
 * (`serveGameSocket`: refused frames explained, ping frames answered under their flood limit, the
 * binary fast path), sends the room process what it hears as records (wire.ts), and writes the
 * frames the room process sends. It exits when the room process goes (its IPC channel closes).
 *
 * Started by gateways.ts with `fork`; the options come in its environment (GATEWAY_OPTIONS, JSON).
 */
import type { Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';
import type { RateLimit } from '../../room';
import { serveGameSocket, type GameSocketEvents } from '../ws-game-socket';
import { checkWsInternals } from '../ws-internals';
import { startHeartbeat, heartbeatRttMs } from '../ws-heartbeat';
import { lowerThreads } from '../../thread-priority';
import { FromGateway, Outbox, ToGateway, codeAndText, readRecords } from './wire';

export interface GatewayProcessOptions {
  heartbeatMs: number;
  pingRate: RateLimit;
  maxPayload: number;
  /**
   * How much nicer than the room process the gateway runs, all its threads: on a shared core, a
   * gateway woken by the tick's outbox must not take the core from the tick before it ends (it
   * writes after it, in the gap to the next one). HELPER_THREAD_NICENESS (thread-priority.ts,
   * where the figures are).
   */
  niceness: number;
}

/** What the room process sends a gateway (besides the records of `out`). */
export type ToGatewayMessage = { t: 'adopt'; id: number; head: Uint8Array } | { t: 'out'; data: Uint8Array } | { t: 'stop'; graceMs: number };
/** What a gateway sends the room process. */
export type FromGatewayMessage = { t: 'ready' } | { t: 'in'; data: Uint8Array } | { t: 'cpu'; seconds: number };

interface Held {
  ws: WebSocket;
  tcp: Socket;
  /** Last BUFFERED value reported. */
  buffered: number;
}

const CPU_REPORT_MS = 200;

function run(options: GatewayProcessOptions): void {
  const held = new Map<number, Held>();
  const inbox = new Outbox((data) => {
    if (process.connected) process.send!({ t: 'in', data } satisfies FromGatewayMessage);
  });
  const queued = () => inbox.queued();
  // The heartbeat's view of this process's sockets, as it has of a WebSocketServer's.
  const sockets = Object.assign(new EventEmitter(), { clients: new Set<WebSocket>() });
  startHeartbeat(sockets as never, options.heartbeatMs);

  const reportBuffered = (id: number, h: Held) => {
    const n = h.tcp.writableLength;
    if (n === h.buffered) return;
    h.buffered = n;
    inbox.putU32(FromGateway.BUFFERED, id, n);
    queued();
  };

  const eventsOf = (id: number): GameSocketEvents => ({
    binary(data) {
      inbox.put(FromGateway.BINARY, id, data);
      queued();
    },
    text(bytes) {
      inbox.putU32(FromGateway.TEXT, id, bytes);
      queued();
    },
    flood(code, reason) {
      inbox.putU16Text(FromGateway.FLOOD, id, code, reason);
      queued();
    },
    refused(code) {
      inbox.putU16(FromGateway.REFUSED, id, code);
      queued();
    },
    error(how) {
      inbox.put(FromGateway.ERROR, id, Uint8Array.of(how === 'kicked' ? 1 : 0));
      queued();
    },
    closed(code) {
      const h = held.get(id);
      held.delete(id);
      if (h) sockets.clients.delete(h.ws);
      inbox.putU16(FromGateway.CLOSED, id, code);
      queued();
    },
  });

  // The room process's WebSocket server options (plugins/game-socket.ts), with ws's defaults for
  // the rest (its close timeout among them): each socket is set up as that server's upgrade does.
  const server = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: options.maxPayload, perMessageDeflate: false, autoPong: false });
  const wsOptions = server.options as WebSocketServer['options'] & { allowSynchronousEvents?: boolean; skipUTF8Validation?: boolean };
  const adopt = (id: number, tcp: Socket, head: Buffer) => {
    const ws = new WebSocket(null as unknown as string, undefined, wsOptions as object);
    (ws as unknown as { setSocket(s: Socket, head: Buffer, o: object): void }).setSocket(tcp, head, {
      allowSynchronousEvents: wsOptions.allowSynchronousEvents,
      maxPayload: wsOptions.maxPayload,
      skipUTF8Validation: wsOptions.skipUTF8Validation,
    });
    const h: Held = { ws, tcp, buffered: 0 };
    held.set(id, h);
    serveGameSocket(ws, { pingRate: options.pingRate, now: () => performance.now() }, eventsOf(id));
    tcp.on('drain', () => reportBuffered(id, h));
    sockets.clients.add(ws);
    sockets.emit('connection', ws); // the heartbeat's pong listener first: it measures the round trip
    ws.on('pong', () => {
      const rtt = heartbeatRttMs(ws);
      if (rtt !== undefined) {
        inbox.putF64(FromGateway.RTT, id, rtt);
        queued();
      }
    });
  };

  const deliver = (data: Uint8Array) => {
    readRecords(data, (op, id, payload) => {
      const h = held.get(id);
      if (!h) return; // closed meanwhile: the room process hears CLOSED
      const { ws, tcp } = h;
      if (op === ToGateway.WRITE) {
        if (ws.readyState === WebSocket.OPEN && !tcp.destroyed) {
          tcp.write(payload);
          reportBuffered(id, h);
        }
      } else if (op === ToGateway.CLOSE) {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(...codeAndText(payload));
      } else if (op === ToGateway.TERMINATE) {
        ws.terminate();
      }
    });
  };

  process.on('message', (m: ToGatewayMessage, handle?: Socket) => {
    if (m.t === 'out') deliver(m.data);
    else if (m.t === 'adopt' && handle) adopt(m.id, handle, Buffer.from(m.head));
    else if (m.t === 'stop') stop(m.graceMs);
  });

  // Whatever is still open when the room process stops or goes: told 1001 by the room process
  // already, or cut here after the grace.
  const stop = (graceMs: number) => {
    const deadline = Date.now() + graceMs;
    const check = () => {
      if (held.size === 0 || Date.now() >= deadline) {
        for (const h of held.values()) h.ws.terminate();
        inbox.flush();
        setTimeout(() => process.exit(0), 50).unref();
      } else setTimeout(check, 20);
    };
    check();
  };
  process.on('disconnect', () => {
    for (const h of held.values()) h.ws.terminate();
    process.exit(0);
  });

  // This process's CPU, for the room process's metrics (a server's CPU is its gateways' too).
  setInterval(() => {
    const { user, system } = process.cpuUsage();
    if (process.connected) process.send!({ t: 'cpu', seconds: (user + system) / 1e6 } satisfies FromGatewayMessage);
  }, CPU_REPORT_MS).unref();
  process.send!({ t: 'ready' } satisfies FromGatewayMessage);
}

if (process.env.GATEWAY_OPTIONS && process.send) {
  const options = JSON.parse(process.env.GATEWAY_OPTIONS) as GatewayProcessOptions;
  // The binary fast path reads ws internals: check them here too, as the room process does at boot.
  void checkWsInternals().then(
    () => {
      lowerThreads(options.niceness, 'all');
      run(options);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
