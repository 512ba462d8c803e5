/**
 * The protocol's client side, shared by the browser game, the loadtest bots and the tests: it
 * matchmakes over HTTP, opens the game socket, decodes the welcome and every patch into a state
 * mirror, decodes the mode's one-tick events (kills...) that ride in a patch, tracks the
 * acknowledged input sequence, and sends inputs and pings. It checks the decoded state against the
 * server's STATE_HASH every few ticks; on a mismatch (or a patch that fails to decode) it asks for
 * the full state (RESYNC_REQUEST), compares it with what it had, and reports the first differing
 * field (DESYNC_REPORT) before carrying on from the server's state. Patch headers carry the tick and
 * the ack mod 65536; its PatchClock makes them whole again (patch-clock.ts). It runs on the
 * browser's WebSocket and on `ws` alike (both offer the same event API).
 */
import { Decoder, type Schema } from '@colyseus/schema';
import { ByteReader } from '../protocol/bytes';
import { ServerMessage } from '../protocol/constants';
import type { ModeEvent } from '../protocol/event-layout';
import { decodeServerMessage, encodeChat, encodeDesyncReport, encodeInput, encodeLeave, encodePing, encodeResyncRequest, type ServerMessageDecoded } from '../protocol/messages';
import { PatchClock } from '../protocol/patch-clock';
import { firstDifference, stateHash } from '../protocol/state-hash';
import type { ModeDefinition } from '../mode-api/define-mode';
import type { MatchmakeAnswer, MatchmakeRequest } from '../protocol/http-api';
import { CloseReasons } from '../protocol/close-reasons';

export class MatchmakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MatchmakeError';
  }
}

/** POST /api/matchmake. Throws MatchmakeError with the server's code on refusal. */
export async function matchmake(baseUrl: string, request: MatchmakeRequest, fetchImpl: typeof fetch = fetch): Promise<MatchmakeAnswer> {
  const res = await fetchImpl(new URL('/api/matchmake', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new MatchmakeError(res.status, String(body.code ?? 'HTTP_' + res.status), String(body.message ?? res.statusText));
  return body as unknown as MatchmakeAnswer;
}

/**
 * ws(s):// URL of the game socket for a seat: an absolute ws(s) `url` (a server with PUBLIC_URL)
 * as it is, a relative one resolved against `baseUrl` (the server's http(s) URL or the page).
 */
export function socketUrl(baseUrl: string, seat: Pick<MatchmakeAnswer, 'url'>): string {
  const u = new URL(seat.url, baseUrl);
  if (u.protocol === 'ws:' || u.protocol === 'wss:') return u.toString();
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/**
 * ws:// URL that takes a dropped player back into their room (token from `GameClient.reconnectToken`).
 * `baseUrl` is the server (http(s)) or, behind PUBLIC_URL, the seat's socket URL: a reconnection goes
 * where the room lives.
 */
export function reconnectUrl(baseUrl: string, reconnectToken: string): string {
  return socketUrl(baseUrl, { url: `/ws?reconnect=${encodeURIComponent(reconnectToken)}` });
}

/** The subset of the WebSocket API both the browser and `ws` provide. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface GameClientEvents<E extends ModeEvent = ModeEvent> {
  /** After the welcome's full state is decoded. */
  onWelcome?(client: GameClient<any, any, any>): void;
  /**
   * The mode's one-tick events of `tick` (a kill: `{ type: 'kill', killer, victim }` in arena),
   * decoded with the mode's `events`, in the order the mode emitted them. Called once per patch
   * (or resync) that carries events, after its state is applied and before `onPatch`; never for
   * a tick without events. A WELCOME carries none.
   */
  onEvents?(events: readonly E[], tick: number, client: GameClient<any, any, E>): void;
  /** After each patch (or resync) is applied to the mirror. */
  onPatch?(client: GameClient<any, any, any>, tick: number, bytes: number): void;
  onPong?(rttMs: number, serverTime: number): void;
  onChat?(playerId: number, name: string, text: string): void;
  onError?(code: number, message: string): void;
  onClose?(code: number, reason: string): void;
  /**
   * The decoded state had diverged from the server's at `tick` (its STATE_HASH differed, or a patch
   * failed to decode); called once the server's full state replaced it, with the first differing
   * field as reported to the server.
   */
  onDesync?(tick: number, field: string, client: GameClient<any, any, any>): void;
}

const NO_EVENTS: readonly never[] = Object.freeze([]);

/** A connection to one room: the state mirror plus the acknowledgement and clock bookkeeping. */
export class GameClient<S extends Schema, I, E extends ModeEvent = ModeEvent> {
  state: S;
  /** The mode events of the last patch applied (empty when it carried none). */
  tickEvents: readonly E[] = NO_EVENTS;
  playerId = 0;
  roomId = '';
  tickRate = 0;
  /** Tick of the last state applied. */
  tick = 0;
  /** Highest input sequence number the server has applied. */
  ack = 0;
  /**
   * From the last PATCH: how far the time this client's inputs wait in the server's buffer is
   * from its target, ms (> 0: too long, send slower; < 0: too short, send faster). See TimeDilation.
   */
  bufferOffsetMs = 0;
  /** Last input sequence number sent. */
  seq = 0;
  welcomed = false;
  /** From the last WELCOME: presents this player again after a dropped connection (see `reconnect`). */
  reconnectToken = '';
  closed: { code: number; reason: string } | undefined;
  bytesIn = 0;
  /** WebSocket payload bytes sent. */
  bytesOut = 0;
  patches = 0;
  /** Server clock (ms) when the welcome was written, right after its tick `welcomeTick` ran. */
  welcomeServerTime = 0;
  welcomeTick = 0;
  /** State hashes checked, and how many differed from the server's. */
  hashesChecked = 0;
  desyncs = 0;
  /** Tick of the mismatch waiting for its full state, and why (a decode error) if not a hash. */
  private desync: { tick: number; decodeError?: string } | undefined;
  private decoder: Decoder<S>;
  /** Unwraps the patch headers' u16 tick and ack (kept in step with `seq`). */
  private readonly clock = new PatchClock();

  constructor(
    readonly mode: ModeDefinition<S, I, E>,
    public socket: SocketLike,
    private readonly events: GameClientEvents<E> = {},
    /** Milliseconds on the client's clock, for pings. */
    private readonly now: () => number = () => performance.now(),
    /**
     * `decodeState: false` reads only the messages' headers (tick, ack) and leaves `state` empty:
     * for loadtest bots that hold thousands of connections (`--decode header`).
     */
    private readonly options: { decodeState?: boolean } = {},
  ) {
    this.state = new mode.State();
    this.decoder = new Decoder(this.state);
    this.bind(socket);
  }

  /**
   * Continues the game on `socket`, opened at `reconnectUrl(baseUrl, this.reconnectToken)` after the
   * previous connection dropped. The server answers with a fresh WELCOME (same player id, full state,
   * a new token); input sequence numbers start again from 1 on the new connection.
   */
  reconnect(socket: SocketLike): void {
    const old = this.socket;
    old.onmessage = old.onclose = old.onerror = null;
    this.socket = socket;
    this.seq = 0;
    this.clock.sent = 0;
    this.ack = 0;
    this.welcomed = false;
    this.closed = undefined;
    this.desync = undefined;
    this.bind(socket);
  }

  private bind(socket: SocketLike): void {
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = (ev) => {
      this.closed = { code: ev.code, reason: ev.reason };
      this.events.onClose?.(ev.code, ev.reason);
    };
    socket.onerror = () => {};
  }

  /**
   * Sends one input frame; returns its sequence number. `viewTick` is the (fractional) server tick
   * at which the client draws other entities (its interpolation render time), for lag compensation;
   * without one the newest tick received is sent (a client that draws the newest state).
   */
  sendInput(input: I, viewTick: number = this.tick): number {
    this.clock.sent = ++this.seq;
    this.send(encodeInput(this.mode.input, this.seq, input, viewTick));
    return this.seq;
  }
  ping(): void {
    this.send(encodePing(this.now()));
  }
  chat(text: string): void {
    this.send(encodeChat(text));
  }
  leave(): void {
    this.send(encodeLeave());
  }
  send(bytes: Uint8Array): void {
    if (this.socket.readyState !== 1) return;
    this.bytesOut += bytes.byteLength;
    this.socket.send(bytes);
  }
  /**
   * Server time (ms, server clock) at which `tick` ran. The server's tick loop keeps a fixed
   * schedule that never drifts, so one anchor from the welcome maps every later tick.
   */
  tickTime(tick: number): number {
    return this.welcomeServerTime + ((tick - this.welcomeTick) * 1000) / this.tickRate;
  }
  close(): void {
    this.socket.close(...CloseReasons.bye);
  }

  private receive(data: unknown): void {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Uint8Array);
    this.bytesIn += bytes.byteLength;
    const msg: ServerMessageDecoded = decodeServerMessage(bytes, this.clock);
    switch (msg.type) {
      case ServerMessage.WELCOME:
        this.playerId = msg.playerId;
        this.roomId = msg.roomId;
        this.tickRate = msg.tickRate;
        this.reconnectToken = msg.reconnectToken ?? '';
        if (this.options.decodeState !== false) {
          this.resetState(msg.state);
          this.mode.materialize?.(this.state, msg.tick, msg.tickRate);
        }
        this.tick = msg.tick;
        this.welcomeTick = msg.tick;
        this.welcomeServerTime = msg.serverTime;
        this.welcomed = true;
        this.events.onWelcome?.(this);
        return;
      case ServerMessage.RESYNC:
        if (this.options.decodeState !== false) {
          const diverged = this.desync;
          const before = diverged && !diverged.decodeError && msg.tick === this.tick ? this.state.toJSON() : undefined;
          this.resetState(msg.state);
          this.mode.materialize?.(this.state, msg.tick, this.tickRate);
          if (diverged) this.reportDesync(diverged, before);
        }
        this.bufferOffsetMs = msg.bufferOffsetMs;
        this.applied(msg.tick, msg.ack, bytes.byteLength, msg.events);
        return;
      case ServerMessage.PATCH:
        if (this.options.decodeState !== false && !this.desync?.decodeError) {
          try {
            this.decoder.decode(msg.state);
            this.mode.materialize?.(this.state, msg.tick, this.tickRate);
          } catch (err) {
            // The mirror is now unreliable: stop decoding into it until the full state comes.
            this.mismatch(msg.tick, `patch of tick ${msg.tick} failed to decode: ${(err as Error).message}`);
          }
        }
        this.bufferOffsetMs = msg.bufferOffsetMs;
        this.applied(msg.tick, msg.ack, bytes.byteLength, msg.events);
        return;
      case ServerMessage.STATE_HASH:
        if (this.options.decodeState === false || !this.welcomed || this.desync || msg.tick !== this.tick) return;
        this.hashesChecked++;
        if (stateHash(this.state) !== msg.hash) this.mismatch(msg.tick);
        return;
      case ServerMessage.PONG:
        this.events.onPong?.(this.now() - msg.clientTime, msg.serverTime);
        return;
      case ServerMessage.CHAT:
        this.events.onChat?.(msg.playerId, msg.name, msg.text);
        return;
      case ServerMessage.ERROR:
        this.events.onError?.(msg.code, msg.message);
        return;
    }
  }

  private mismatch(tick: number, decodeError?: string): void {
    this.desyncs++;
    this.desync = { tick, ...(decodeError ? { decodeError } : {}) };
    this.send(encodeResyncRequest(tick));
  }

  private reportDesync(diverged: { tick: number; decodeError?: string }, before: unknown): void {
    this.desync = undefined;
    const field =
      diverged.decodeError ??
      (before === undefined ? 'unknown (the full state is of a later tick)' : (firstDifference(before, this.state.toJSON()) ?? 'none (the states are equal again)'));
    this.send(encodeDesyncReport(diverged.tick, field));
    this.events.onDesync?.(diverged.tick, field, this);
  }

  private resetState(full: Uint8Array): void {
    this.state = new this.mode.State();
    this.decoder = new Decoder(this.state);
    this.decoder.decode(full);
  }

  private applied(tick: number, ack: number, bytes: number, events: Uint8Array | undefined): void {
    this.tick = tick;
    this.ack = ack;
    this.patches++;
    // Header-only clients (decodeState: false) skip the events with the state.
    if (events && this.options.decodeState !== false) {
      this.tickEvents = this.decodeEvents(events);
      this.events.onEvents?.(this.tickEvents, tick, this);
    } else {
      this.tickEvents = NO_EVENTS;
    }
    this.events.onPatch?.(this, tick, bytes);
  }

  private decodeEvents(bytes: Uint8Array): E[] {
    const layout = this.mode.events;
    if (!layout) throw new Error(`the server sent events but mode "${this.mode.name}" declares none`);
    const r = new ByteReader(bytes);
    const out: E[] = [];
    while (r.remaining > 0) out.push(layout.read(r));
    return out;
  }
}
