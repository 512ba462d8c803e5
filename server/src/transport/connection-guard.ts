/**
 * Descriptors are the one resource every connection costs before it says anything: this guard
 * counts open TCP connections (HTTP and game sockets alike) as they are accepted, before Node's
 * HTTP parser sees them, and refuses beyond a process-wide cap (MAX_CONNECTIONS, below the
 * open-file limit) and a per-address cap (MAX_CONNECTIONS_PER_ADDRESS). A refused connection is
 * answered, not reset: once it sends its request (or after 1 s), it gets a 503
 * TF_ERR_SERVER_BUSY / 429 TF_ERR_TOO_MANY_CONNECTIONS JSON answer and is closed, so a client
 * can tell "busy" from "down". It also lets shutdown destroy every connection still open (an idle
 * or half-sent one must not hold the exit up). A connection silent for `idleMs` is destroyed, and
 * Node's own timeouts (`headersTimeout`, `requestTimeout`, app.ts) cut one that does not complete
 * its request (408).
 */
import { Server, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TickforgeError } from '../errors';
import { Errors } from '../errors';

export interface ConnectionLimits {
  maxConnections: number;
  /** 0: no per-address cap. */
  maxPerAddress: number;
  /**
   * A connection with no traffic either way for this long is destroyed: Node's headersTimeout
   * does not cover one that never sent a byte. The game socket lifts it after its upgrade (its
   * heartbeat finds dead peers).
   */
  idleMs: number;
}

/** Time a refused connection has to send its request before it is closed unanswered. */
const REFUSAL_WAIT_MS = 1000;

export class GuardedServer extends Server {
  /** Open connections and the address each came from. */
  private readonly open = new Map<Socket, string>();
  private readonly perAddress = new Map<string, number>();
  /** Connections refused since start (metrics, tests). */
  refused = 0;

  constructor(
    options: ServerOptions,
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly limits: ConnectionLimits,
  ) {
    super(options, handler);
  }

  /** Open connections now. */
  get openConnections(): number {
    return this.open.size;
  }

  /** Destroys every connection still open (shutdown, after the game sockets were told). */
  destroyAll(): void {
    for (const socket of this.open.keys()) socket.destroy();
  }

  // The one place a connection can be refused before Node's HTTP parser takes it.
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'connection') {
      const refusal = this.admit(args[0] as Socket);
      if (refusal) {
        refuse(args[0] as Socket, refusal);
        return true;
      }
    }
    return super.emit(event as string, ...args);
  }

  private admit(socket: Socket): TickforgeError | undefined {
    const { maxConnections, maxPerAddress } = this.limits;
    if (this.open.size >= maxConnections) return this.refusal(Errors.serverBusy(maxConnections));
    const address = socket.remoteAddress ?? '';
    const held = this.perAddress.get(address) ?? 0;
    if (maxPerAddress > 0 && held >= maxPerAddress) return this.refusal(Errors.tooManyConnections(maxPerAddress));
    this.open.set(socket, address);
    this.perAddress.set(address, held + 1);
    // Node's HTTP server destroys a socket whose timeout fires when nobody else handles it.
    socket.setTimeout(this.limits.idleMs);
    socket.once('close', () => this.release(socket));
    return undefined;
  }

  /**
   * The connection is over. Called on its socket's close, and by the gateways (gateways.ts) for
   * one they held: the socket object here gave its descriptor away and closes with nothing.
   */
  release(socket: Socket): void {
    const address = this.open.get(socket);
    if (address === undefined) return;
    this.open.delete(socket);
    const n = (this.perAddress.get(address) ?? 1) - 1;
    if (n > 0) this.perAddress.set(address, n);
    else this.perAddress.delete(address);
  }

  private refusal(err: TickforgeError): TickforgeError {
    this.refused++;
    return err;
  }
}

function refuse(socket: Socket, err: TickforgeError): void {
  socket.on('error', () => {});
  const body = JSON.stringify({ statusCode: err.statusCode, code: err.code, error: err.name, message: err.message });
  const answer = () =>
    socket.end(
      `HTTP/1.1 ${err.statusCode} ${err.statusCode === 503 ? 'Service Unavailable' : 'Too Many Requests'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `retry-after: 5\r\nconnection: close\r\n\r\n${body}`,
    );
  const timer = setTimeout(() => socket.destroy(), REFUSAL_WAIT_MS);
  socket.once('data', () => {
    clearTimeout(timer);
    answer();
    socket.destroySoon();
  });
  socket.once('close', () => clearTimeout(timer));
}
