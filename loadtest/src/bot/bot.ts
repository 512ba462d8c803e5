/**
 * One bot: a player that joins as a browser does (POST /api/matchmake, then the game WebSocket
 * with the seat token), decodes what the server sends with the shared GameClient (or only patch
 * headers with `--decode header`), and sends the workload's input frames and pings when its
 * worker's scheduler calls `frame()`. Everything that goes wrong is counted, never thrown.
 */
import WebSocket from 'ws';
import { CloseReasons, GameClient, INPUT_HEADER_BYTES, MatchmakeError, matchmake, socketUrl, type GameClientEvents, type ModeDefinition, type SocketLike } from '@tickforge/shared';
import type { DecodeMode } from '../options';
import type { BotStats } from './bot-stats';
import { INPUT_RATE, WorkloadScript, type WorkloadInput } from './workload-script';

/** How long each step of joining may take before it counts as a timeout. */
export const JOIN_TIMEOUT_MS = 10_000;
/** A ping unanswered this long counts as a timeout. */
export const PONG_TIMEOUT_MS = 5_000;
/** A welcomed bot that receives no patch for this long counts a stall (once per stall). */
export const PATCH_STALL_MS = 5_000;

/** Sent input sequence numbers remembered for input-to-ack latency (4 s at 30 frames a second). */
const SENT_RING = 128;

export interface BotConfig {
  url: string;
  mode: ModeDefinition<any, WorkloadInput>;
  decode: DecodeMode;
  seed: number;
}

export class Bot {
  private ws: WebSocket | undefined;
  private client: GameClient<any, WorkloadInput> | undefined;
  private readonly script: WorkloadScript;
  private readonly sentAt = new Float64Array(SENT_RING);
  private lastAck = 0;
  private frames = 0;
  private readonly pingPhase: number;
  private pingSentAt = 0;
  private lastPatchAt = 0;
  private stalled = false;
  private stopping = false;
  /** The welcome did not come in time (already counted; the close that follows is not). */
  private timedOut = false;
  private lastError: string | undefined;
  /** When the bot was welcomed and when its connection ended (ms, performance.now of its thread). */
  welcomedAt = 0;
  closedAt = 0;
  /** Settles when the bot is done: refused, closed, or never started. */
  readonly done: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly index: number,
    private readonly config: BotConfig,
    private readonly stats: BotStats,
  ) {
    this.script = new WorkloadScript(config.seed, index);
    this.pingPhase = index % INPUT_RATE;
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  get welcomed(): boolean {
    return this.client?.welcomed === true && this.closedAt === 0;
  }

  async start(): Promise<void> {
    const { stats } = this;
    stats.counters.started++;
    let seat;
    try {
      seat = await matchmake(this.config.url, { mode: this.config.mode.name, name: `bot-${this.index}` }, timedFetch);
    } catch (err) {
      this.refused(matchmakeFailure(err));
      return;
    }
    if (this.stopping) return this.finish();
    const ws = new WebSocket(socketUrl(this.config.url, seat), { handshakeTimeout: JOIN_TIMEOUT_MS });
    this.ws = ws;
    ws.on('error', (err) => (this.lastError = errorName(err)));
    const events: GameClientEvents = {
      onWelcome: () => this.welcome(),
      onPatch: () => this.patch(),
      onPong: (rtt) => this.pong(rtt),
      onClose: (code) => this.closed(code),
    };
    const socket = ws as unknown as SocketLike;
    this.client = new GameClient(this.config.mode, socket, events, undefined, { decodeState: this.config.decode === 'full' });
    // Count every message, and turn a decode failure into a counted error rather than a crash.
    // Node buffers straight off the socket (GameClient takes any Uint8Array): ws would otherwise
    // copy each message into a fresh ArrayBuffer, a cost the browser does not have.
    socket.binaryType = 'nodebuffer';
    const deliver = socket.onmessage!;
    socket.onmessage = (ev) => {
      stats.counters.messagesIn++;
      stats.counters.bytesIn += (ev.data as ArrayBuffer | Uint8Array).byteLength;
      try {
        deliver(ev);
      } catch {
        stats.fail('decode');
      }
    };
    const welcomeTimer = setTimeout(() => {
      if (this.client?.welcomed || this.closedAt) return;
      this.stats.fail('timeout:welcome');
      this.stats.counters.gaveUp++;
      this.timedOut = true;
      ws.terminate();
    }, JOIN_TIMEOUT_MS);
    welcomeTimer.unref();
  }

  /** Sends this frame's input (and, once a second, a ping). Called by the worker's scheduler. */
  frame(now: number): void {
    const client = this.client;
    if (!client || !this.welcomed || this.stopping) return;
    const seq = client.sendInput(this.script.next());
    this.sentAt[seq % SENT_RING] = now;
    this.stats.counters.inputs++;
    this.stats.counters.messagesOut++;
    this.stats.counters.bytesOut += INPUT_HEADER_BYTES + this.config.mode.input.bytes;
    if (this.frames++ % INPUT_RATE === this.pingPhase) {
      if (this.pingSentAt !== 0 && now - this.pingSentAt > PONG_TIMEOUT_MS) this.stats.fail('timeout:pong');
      if (this.pingSentAt === 0 || now - this.pingSentAt > PONG_TIMEOUT_MS) {
        this.pingSentAt = now;
        client.ping();
        this.stats.counters.pings++;
        this.stats.counters.messagesOut++;
        this.stats.counters.bytesOut += 9;
      }
    }
    if (!this.stalled && now - this.lastPatchAt > PATCH_STALL_MS) {
      this.stalled = true;
      this.stats.fail('timeout:patches');
    }
  }

  /** The scheduler skipped this bot's frame (its thread was more than a frame late). */
  skipped(): void {
    if (this.welcomed && !this.stopping) this.stats.counters.inputsLate++;
  }

  /** Leaves the room and closes; resolves `done` when the socket is closed (or after 2 s). */
  stop(): Promise<void> {
    this.stopping = true;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) {
      this.finish();
      return this.done;
    }
    if (ws.readyState === WebSocket.OPEN) this.client?.leave();
    ws.close(...CloseReasons.loadtestDone);
    const kill = setTimeout(() => ws.terminate(), 2000);
    kill.unref();
    return this.done.finally(() => clearTimeout(kill));
  }

  private welcome(): void {
    const now = performance.now();
    this.welcomedAt = now;
    this.lastPatchAt = now;
    this.stats.counters.joined++;
    this.stats.counters.connected++;
  }

  private patch(): void {
    const now = performance.now();
    this.stats.counters.patches++;
    this.lastPatchAt = now;
    this.stalled = false;
    const ack = this.client!.ack;
    if (ack > this.lastAck) {
      for (let s = Math.max(this.lastAck + 1, ack - SENT_RING + 1); s <= ack; s++) this.stats.recordAck(now - this.sentAt[s % SENT_RING]!);
      this.lastAck = ack;
    }
  }

  private pong(rttMs: number): void {
    this.pingSentAt = 0;
    this.stats.recordRtt(rttMs);
  }

  private closed(code: number): void {
    const wasPlaying = this.client?.welcomed === true && this.closedAt === 0;
    this.closedAt = performance.now();
    if (wasPlaying) this.stats.counters.connected--;
    if (!this.stopping && !this.timedOut) {
      if (wasPlaying) this.stats.fail(`close:${code}`);
      else {
        this.stats.fail(`refused:${this.lastError ?? `close ${code}`}`);
        this.stats.counters.gaveUp++;
      }
    }
    this.finish();
  }

  private refused(why: string): void {
    if (!this.stopping) {
      this.stats.fail(why);
      this.stats.counters.gaveUp++;
    }
    this.closedAt = performance.now();
    this.finish();
  }
}

function timedFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
  return fetch(input, { ...init, signal: AbortSignal.timeout(JOIN_TIMEOUT_MS) });
}

function matchmakeFailure(err: unknown): string {
  if (err instanceof MatchmakeError) return `refused:HTTP ${err.status} ${err.code}`;
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout:matchmake';
  return `refused:${e.cause?.code ?? e.message}`;
}

function errorName(err: Error & { code?: string }): string {
  if (err.code) return err.code;
  // ws: "Unexpected server response: 404" and the like; keep them short and stable.
  return err.message.replace(/^Unexpected server response: /, 'HTTP ').slice(0, 60);
}
