/**
 * Gateways (GATEWAYS=N): child processes that hold the game sockets, so that the room's thread
 * does not make one system call per client per tick. A connection is upgraded and admitted here
 * as always (tokens, seats, refusals: ws-game-socket.ts); once admitted, its TCP socket is handed
 * to a gateway (Node's IPC handle passing: the gateway receives the descriptor, this process
 * closes its own), which serves the socket side from then on (gateway-process.ts). The room's
 * sink for it frames messages as a local one does and appends them to the gateway's outbox; the
 * outbox goes to the gateway as one IPC message at the end of each tick (the room's `afterTick`),
 * or on the next turn of the event loop for what is sent between ticks. What the gateway hears
 * comes back the same way, batched, and reaches the room side's handlers as a local socket's do.
 *
 * Why processes: Node cannot give a socket to a worker thread, and the writes must leave the
 * room's thread to shorten its tick (issue 16: with 200 clients, 2 of a 4 ms tick were writes).
 *
 * A gateway that dies takes its connections with it: each is a dropped connection (1006) to its
 * room, which holds the player for reconnection; the gateway is started again. A connection this
 * process cannot hand over cleanly (bytes of the upgrade still unwritten, a frame half read) is
 * served here, as without gateways.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket, WebSocketServer } from 'ws';
import type { TrafficStats } from '../../metrics';
import { ObservedCloseCode } from '@tickforge/shared';
import type { ClientSink } from '../../room';
import type { GameSocketEvents } from '../ws-game-socket';
import type { GuardedServer } from '../connection-guard';
import { frameParserIdle, tcpSocketOf } from '../ws-internals';
import { framedSink, type FrameSpace, type FrameWriter } from '../ws-sink';
import type { FromGatewayMessage, GatewayProcessOptions, ToGatewayMessage } from './gateway-process';
import { FromGateway, Outbox, ToGateway, codeAndText, readRecords, type RecordWriter } from './wire';

/** Where this process keeps a connection it handed over: its WebSocket server and connection count. */
export interface LocalPlace {
  wss: WebSocketServer;
  guard: GuardedServer;
}

export interface GatewaysOptions extends GatewayProcessOptions {
  count: number;
  log: FastifyBaseLogger;
}

/** Time a gateway has to start (load its code and check ws) before the server's start fails. */
const START_TIMEOUT_MS = 20_000;
/** After a gateway died, the wait before starting its replacement. */
const RESTART_DELAY_MS = 1000;

/** The gateway entry next to this file: the TypeScript source under tsx, the bundle's gateway.js in server/dist. */
function gatewayEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { script: fileURLToPath(new URL('./gateway-process.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
  return { script: fileURLToPath(new URL('./gateway.js', import.meta.url)), execArgv: [] };
}

export class Gateways {
  private readonly slots: Gateway[] = [];
  private next = 0;
  private stopping = false;
  /** CPU seconds of gateways that exited. */
  private retiredCpu = 0;

  constructor(private readonly options: GatewaysOptions) {}

  /** Starts every gateway; resolves once all are ready. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.count }, (_, i) => this.spawn(i)));
  }

  private async spawn(slot: number): Promise<void> {
    const g = new Gateway(this.options, (exited) => {
      this.retiredCpu += exited.cpuSeconds;
      if (this.stopping) return;
      this.options.log.error({ slot, code: exited.exitCode }, 'a gateway exited; its players are held for reconnection, starting another');
      setTimeout(() => {
        if (!this.stopping) this.spawn(slot).catch((err: unknown) => this.options.log.error({ err, slot }, 'a gateway failed to start'));
      }, RESTART_DELAY_MS).unref();
    });
    this.slots[slot] = g;
    await g.ready;
  }

  /** A gateway to hand the next connection to (round robin over those running), or undefined. */
  available(): Gateway | undefined {
    for (let i = 0; i < this.slots.length; i++) {
      const g = this.slots[(this.next + i) % this.slots.length];
      if (g?.running) {
        this.next = (this.next + i + 1) % this.slots.length;
        return g;
      }
    }
    return undefined;
  }

  /** Sends every gateway what its connections were sent so far (the end of a tick). */
  flush(): void {
    for (const g of this.slots) g?.flush();
  }

  /** Process ids of the gateways running (tests, operators). */
  get pids(): number[] {
    return this.slots.filter((g) => g?.running).map((g) => g.pid);
  }

  /** Connections the gateways hold. */
  get connections(): number {
    let n = 0;
    for (const g of this.slots) n += g?.connections ?? 0;
    return n;
  }

  /** CPU seconds the gateways used, the exited ones included. */
  get cpuSeconds(): number {
    let s = this.retiredCpu;
    // Every gateway once, so the counter never goes back: an exited one is in retiredCpu.
    for (const g of this.slots) if (g && !g.hasExited) s += g.cpuSeconds;
    return s;
  }

  /** Cuts every connection the gateways hold (shutdown, once the close handshakes had their time). */
  terminateAll(): void {
    for (const g of this.slots) g?.terminateAll();
  }

  /** Stops the gateways: each cuts what is left after `graceMs` and exits. */
  async stop(graceMs = 500): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((g) => g?.stop(graceMs)));
  }
}

/** One gateway process and the connections it holds. */
export class Gateway {
  private readonly child: ChildProcess;
  private readonly conns = new Map<number, RemoteConnection>();
  private readonly outbox = new Outbox((data) => {
    if (this.running) this.send({ t: 'out', data });
  });
  private nextId = 1;
  private exited = false;
  private started = false;
  cpuSeconds = 0;
  exitCode: number | null = null;
  readonly ready: Promise<void>;

  constructor(
    private readonly options: GatewaysOptions,
    onExit: (g: Gateway) => void,
  ) {
    const { script, execArgv } = gatewayEntry();
    const processOptions: GatewayProcessOptions = { heartbeatMs: options.heartbeatMs, pingRate: options.pingRate, maxPayload: options.maxPayload, niceness: options.niceness };
    this.child = fork(script, [], {
      execArgv,
      serialization: 'advanced',
      env: { ...process.env, GATEWAY_OPTIONS: JSON.stringify(processOptions) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // A message that cannot be sent (the gateway is going away) is the exit's business, not a crash.
    this.child.on('error', (err) => options.log.warn({ err, pid: this.child.pid }, 'gateway IPC error'));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a gateway did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      this.child.on('message', (m: FromGatewayMessage) => {
        if (m.t === 'in') this.receive(m.data);
        else if (m.t === 'cpu') this.cpuSeconds = m.seconds;
        else if (m.t === 'ready') {
          this.started = true;
          clearTimeout(timer);
          resolve();
        }
      });
      this.child.on('exit', (code) => {
        clearTimeout(timer);
        this.exited = true;
        this.exitCode = code;
        for (const c of [...this.conns.values()]) this.gone(c, ObservedCloseCode.ABNORMAL_CLOSURE);
        if (!this.started) reject(new Error(`a gateway exited (${code}) before it was ready`));
        onExit(this);
      });
    });
    // A gateway that never starts is the start's failure (awaited there), not an unhandled one.
    this.ready.catch(() => {});
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  get running(): boolean {
    return this.started && !this.exited && this.child.connected;
  }

  get connections(): number {
    return this.conns.size;
  }

  /**
   * A connection to be served by this gateway: the room's sink for it, and `adopt`, which hands
   * the socket over once the player is admitted (a refused one is closed here, and forgotten).
   * Undefined when `ws` cannot be handed over cleanly.
   */
  connection(ws: WebSocket, local: LocalPlace, traffic: TrafficStats, events: GameSocketEvents): RemoteConnection | undefined {
    const tcp = tcpSocketOf(ws);
    // The 101 must be on the wire and ws's parser empty: what the gateway gets is the socket as it is.
    if (!tcp || tcp.destroyed || tcp.writableLength > 0 || !frameParserIdle(ws)) return undefined;
    return new RemoteConnection(this.nextId++, this, ws, local, tcp, traffic, events);
  }

  /** Hands `c`'s socket over: from now on its records and its end are this gateway's. */
  hold(c: RemoteConnection, tcp: Socket, head: Buffer): void {
    this.conns.set(c.id, c);
    this.send({ t: 'adopt', id: c.id, head }, tcp);
  }

  /** Queues a record; the outbox goes at the end of the tick, or on the next turn of the loop. */
  queue(put: (outbox: RecordWriter) => void): void {
    put(this.outbox);
    this.outbox.queued();
  }

  /** A WRITE record of `bytes` bytes of frames for connection `id`, for the sink to fill (then `queued`). */
  reserveWrite(id: number, bytes: number): FrameSpace {
    const at = this.outbox.reserve(ToGateway.WRITE, id, bytes);
    return { buf: this.outbox.target, at };
  }

  /** Something is in the outbox: it goes at the end of the tick, or on the next turn of the loop. */
  queued(): void {
    this.outbox.queued();
  }

  flush(): void {
    this.outbox.flush();
  }

  send(m: ToGatewayMessage, handle?: Socket): void {
    if (this.child.connected) this.child.send(m, handle as never);
  }

  /** The connection is over: its room hears it, and this process lets go of what was its socket. */
  gone(c: RemoteConnection, code: number): void {
    if (!this.conns.delete(c.id)) return;
    c.end(code);
  }

  terminateAll(): void {
    for (const c of this.conns.values()) this.queue((o) => o.put(ToGateway.TERMINATE, c.id));
    this.flush();
  }

  async stop(graceMs: number): Promise<void> {
    if (this.exited) return;
    this.flush();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ t: 'stop', graceMs });
    const kill = setTimeout(() => this.child.kill('SIGKILL'), graceMs + 2000);
    await exited;
    clearTimeout(kill);
  }

  private receive(data: Uint8Array): void {
    readRecords(data, (op, id, payload) => {
      const c = this.conns.get(id);
      if (!c) return;
      const e = c.events;
      switch (op) {
        case FromGateway.BINARY:
          return e.binary(payload);
        case FromGateway.TEXT:
          return e.text(payload.readUInt32LE(0));
        case FromGateway.FLOOD:
          return e.flood(...codeAndText(payload));
        case FromGateway.REFUSED:
          c.closing = true;
          return e.refused(payload.readUInt16LE(0));
        case FromGateway.ERROR:
          c.closing = true;
          return e.error(payload[0] === 1 ? 'kicked' : 'dropped');
        case FromGateway.CLOSED:
          return this.gone(c, payload.readUInt16LE(0));
        case FromGateway.BUFFERED:
          c.buffered = payload.readUInt32LE(0);
          return;
        case FromGateway.RTT:
          c.rtt = payload.readDoubleLE(0);
          return;
      }
    });
  }
}

/** A connection a gateway serves, as the room process sees it. */
export class RemoteConnection implements FrameWriter {
  /** The room asked to close it, the gateway did, or it ended: nothing more is sent. */
  closing = false;
  private over = false;
  buffered = 0;
  rtt: number | undefined = undefined;
  readonly sink: ClientSink;

  constructor(
    readonly id: number,
    private readonly gateway: Gateway,
    private readonly ws: WebSocket,
    private readonly local: LocalPlace,
    /** This process's socket object: after the hand-over it holds no descriptor, only its place in the connection count. */
    private readonly tcp: Socket,
    private readonly traffic: TrafficStats,
    readonly events: GameSocketEvents,
  ) {
    this.sink = framedSink(traffic, this);
  }

  // The sink's frame writer (ws-sink.ts).
  open(): boolean {
    return !this.closing;
  }

  /** Framed straight into the gateway's outbox: a record whose payload is the frames. */
  frames(bytes: number): FrameSpace {
    return this.gateway.reserveWrite(this.id, bytes);
  }

  write(): void {
    this.gateway.queued();
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.traffic.countClose(code);
    this.gateway.queue((o) => o.putU16Text(ToGateway.CLOSE, this.id, code, reason));
  }

  bufferedAmount(): number {
    return this.buffered;
  }

  rttMs(): number | undefined {
    return this.rtt;
  }

  /**
   * Hands the socket to the gateway, with whatever of the client's bytes this process read and
   * did not parse. From here this process's heartbeat and close no longer reach it: the
   * gateway's do.
   */
  adopt(): void {
    const tcp = this.tcp;
    tcp.pause();
    const head: Buffer[] = [];
    for (let chunk: Buffer | null; (chunk = tcp.read() as Buffer | null) !== null;) head.push(chunk);
    this.local.wss.clients.delete(this.ws);
    this.gateway.hold(this, tcp, Buffer.concat(head));
  }

  /** The connection ended (`code`, 1006 without a close handshake): the room hears it. */
  end(code: number): void {
    if (this.over) return;
    this.over = true;
    this.closing = true;
    this.events.closed(code);
    // Its place in the connection count ends with it. Not by destroying this process's socket
    // object: Node counted the connection off its server when it sent the descriptor.
    this.local.guard.release(this.tcp);
  }
}
