/**
 * One game connection with all of its netcode: the protocol client, the server clock estimate
 * (pings), inputs at the tick rate with own-player prediction and reconciliation, the snapshot
 * buffer and adaptive delay for interpolating everything else, the kill feed held back until the
 * view reaches it, and the figures the network HUD shows. It knows nothing about drawing.
 */
import {
  GameClient,
  InterpolationBuffer,
  InterpolationDelay,
  Predictor,
  ServerClock,
  TimeDilation,
  type BufferSample,
  type ModeDefinition,
  type ModeEvent,
  type Position,
  type SocketLike,
} from '@tickforge/shared';
import type { Controls, FeedEntry, ModeClient } from '../modes/mode-client';
import { capturePlayers } from '../modes/player-snapshots';
import { FixedStep } from './fixed-step';
import { MotionCounters } from './motion-counters';
import { RateMeter } from './rate-meter';

export interface SessionEvents {
  onWelcome?(): void;
  onChat?(playerId: number, name: string, text: string): void;
  onClose?(code: number, reason: string): void;
  /** A feed entry, once the interpolated view has reached its tick. */
  onFeed?(entry: FeedEntry): void;
  /**
   * The mode's one-tick events of a patch (arena: `{ type: 'kill', killer, victim }`), as soon as
   * the patch arrives, with its tick; `onFeed` is the same news held back until the view shows it.
   */
  onEvents?(events: readonly ModeEvent[], tick: number): void;
}

export interface SessionFrame {
  sample: BufferSample<unknown> | undefined;
  renderTick: number;
  /** The own player's drawn position (predicted), when the mode predicts. */
  self: Position | undefined;
}

export interface NetFigures {
  pingMs: number;
  jitterMs: number;
  serverTick: number;
  patchesPerSecond: number;
  kbpsDown: number;
  kbpsUp: number;
  /** Interpolation delay proper (how far behind the newest patch the view runs), ms. */
  interpDelayMs: number;
  /** Whole delay of the view behind the estimated server time, ms. */
  viewDelayMs: number;
  /** What the view delay steers towards (it differs while it grows or catches up). */
  viewDelayTargetMs: number;
  /** Link stalls seen (no patch for several intervals), whose burst the delay ignored. */
  stalls: number;
  /** How long no patch has arrived, ms. */
  silentMs: number;
  correctionsPerSecond: number;
  corrections: number;
  inputsPerSecond: number;
  unackedInputs: number;
  clockOffsetMs: number;
  starvedFrames: number;
  /** From the server: how far the wait of this client's inputs in its buffer is from target, ms. */
  inputBufferOffsetMs: number;
  /** The input clock's time dilation now (0.02: 2% fast). */
  inputDilation: number;
}

const PING_BURST = 5;
const PING_BURST_GAP_MS = 100;
const PING_INTERVAL_MS = 500;

export class GameSession {
  readonly client: GameClient<any, any>;
  readonly clock = new ServerClock();
  readonly buffer = new InterpolationBuffer<unknown>(90);
  // Set up for the mode's tick rate, and again at the welcome if the room runs at another one.
  delay!: InterpolationDelay;
  predictor: Predictor<unknown> | undefined;
  inputs!: FixedStep;
  /** Steers the input clock from the server's input-buffer offset. */
  readonly dilation = new TimeDilation();
  /** Stand-still ticks, double steps, freeze frames and snaps (read by the browser tests). */
  motion!: MotionCounters;
  starvedFrames = 0;
  /** Latest interpolation-delay transits, for the network graph: [client time, transit ms]. */
  readonly transits: Array<[number, number]> = [];
  private readonly patchMeter = new RateMeter();
  private readonly downMeter = new RateMeter();
  private readonly upMeter = new RateMeter();
  private readonly correctionMeter = new RateMeter();
  private readonly inputMeter = new RateMeter();
  private countedIn = 0;
  private countedOut = 0;
  private lastSnap: unknown;
  private lastSnapTick = -1;
  private readonly feed: FeedEntry[] = [];
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private pingsSent = 0;
  /** performance.now() of the last patch (or welcome). */
  private lastPatchAt = 0;
  private readonly shown: Position = { x: 0, y: 0 };
  private readonly neutralControls: Controls = { dx: 0, dy: 0, aim: 0, fire: false };

  constructor(
    readonly mode: ModeDefinition,
    readonly modeClient: ModeClient,
    socket: SocketLike,
    /** The controls now; `frame` when an input frame is being sent (it consumes latched presses). */
    private readonly controls: (frame: boolean) => Controls,
    private readonly events: SessionEvents = {},
  ) {
    this.configure(mode.tickRate);
    this.client = new GameClient(mode, socket, {
      onWelcome: () => this.welcomed(),
      onEvents: (list, tick) => this.happened(list, tick),
      onPatch: (_c, tick) => this.patched(tick),
      onPong: (rtt, serverTime) => this.clock.addSample(rtt, serverTime, performance.now()),
      onChat: (id, name, text) => events.onChat?.(id, name, text),
      onClose: (code, reason) => {
        this.stop();
        events.onClose?.(code, reason);
      },
    });
  }

  get playerId(): number {
    return this.client.playerId;
  }

  /** Everything a frame needs; call once per rendered frame. */
  frame(now: number, elapsedMs: number): SessionFrame {
    this.delay.advance(elapsedMs);
    this.holdWhenDry(now);
    this.predictor?.decay(elapsedMs);
    this.countTraffic(now);
    const c = this.client;
    const intervalMs = 1000 / c.tickRate;
    const renderTime = this.renderTime(now);
    const sample = this.buffer.sample(renderTime);
    if (sample && sample.starvedMs > 0) this.starvedFrames++;
    const renderTick = c.welcomeTick + (renderTime - c.welcomeServerTime) / intervalMs;
    while (this.feed.length > 0 && this.feed[0]!.tick <= renderTick) this.events.onFeed?.(this.feed.shift()!);

    let self: Position | undefined;
    if (this.predictor?.initialized) {
      const live = this.modeClient.input(this.controlsNow());
      self = this.predictor.display(this.shown, { input: live, fraction: this.inputs.fraction(now) });
    }
    return { sample, renderTick, self };
  }

  figures(now: number): NetFigures {
    return {
      pingMs: this.clock.rtt,
      jitterMs: this.delay.jitter,
      serverTick: this.client.tick,
      patchesPerSecond: this.patchMeter.perSecond(now),
      kbpsDown: (this.downMeter.perSecond(now) * 8) / 1000,
      kbpsUp: (this.upMeter.perSecond(now) * 8) / 1000,
      interpDelayMs: this.delay.interpolationDelay,
      viewDelayMs: this.delay.viewDelay,
      viewDelayTargetMs: this.delay.target,
      stalls: this.delay.stalls,
      silentMs: this.silentMs(now),
      correctionsPerSecond: this.correctionMeter.perSecond(now),
      corrections: this.predictor?.corrections ?? 0,
      inputsPerSecond: this.inputMeter.perSecond(now),
      unackedInputs: this.predictor?.pendingCount ?? 0,
      clockOffsetMs: this.clock.offset,
      starvedFrames: this.starvedFrames,
      inputBufferOffsetMs: this.client.bufferOffsetMs,
      inputDilation: this.dilation.dilation,
    };
  }

  chat(text: string): void {
    this.client.chat(text);
  }

  /** How long no patch has arrived, ms (0 before the welcome). */
  silentMs(now: number): number {
    return this.lastPatchAt > 0 ? now - this.lastPatchAt : 0;
  }

  /**
   * When the view would run past the newest snapshot (a late patch, a stall), holds it there: the
   * delay grows by what it held and catches up fast-forward after, instead of the view running on
   * into nothing and snapping when the next patch lands (InterpolationDelay.hold).
   */
  private holdWhenDry(now: number): void {
    if (!this.clock.synced || !this.delay.ready || this.buffer.size === 0) return;
    const serverNow = this.clock.serverNow(now);
    if (serverNow - this.delay.viewDelay <= this.buffer.newestTime) return;
    this.starvedFrames++;
    // A hair inside the buffer, so the sample below interpolates rather than counting as dry again.
    this.delay.hold(serverNow - this.buffer.newestTime + 1e-3);
  }

  /** Leaves the room and closes the connection. */
  leave(): void {
    this.stop();
    this.client.leave();
    this.client.close();
  }

  stop(): void {
    this.inputs.stop();
    if (this.pingTimer !== undefined) clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }

  /** Server time at which other entities are drawn at client time `now` (the interpolation render time). */
  private renderTime(now: number): number {
    return this.clock.synced && this.delay.ready ? this.clock.serverNow(now) - this.delay.viewDelay : this.buffer.newestTime;
  }

  private controlsNow(frame = false): Controls {
    return this.client.welcomed ? this.controls(frame) : this.neutralControls;
  }

  /** Everything that depends on the tick rate: one input frame and one patch per tick. */
  private configure(tickRate: number): void {
    this.delay = new InterpolationDelay({ intervalMs: 1000 / tickRate });
    const step = this.modeClient.step;
    if (step && this.modeClient.ownPosition) this.predictor = new Predictor({ step: (p, i, dt) => step(p, i, dt), dt: 1 / tickRate });
    this.inputs = new FixedStep(1000 / tickRate, () => this.sendInput());
    this.motion = new MotionCounters(1000 / tickRate);
  }

  private welcomed(): void {
    const c = this.client;
    if (c.tickRate !== this.mode.tickRate) this.configure(c.tickRate);
    const own = this.modeClient.ownPosition?.(c.state, c.playerId);
    if (own && this.predictor) this.predictor.reset(own);
    this.lastPatchAt = performance.now();
    this.snapshot(c.tick);
    this.ping();
    this.inputs.start();
    this.events.onWelcome?.();
  }

  private patched(tick: number): void {
    const now = performance.now();
    const c = this.client;
    this.patchMeter.add(now);
    this.lastPatchAt = now;
    if (this.clock.synced) {
      const transit = this.clock.serverNow(now) - c.tickTime(tick);
      this.delay.observe(transit, now);
      this.transits.push([now, transit]);
      if (this.transits.length > 180) this.transits.shift();
    }
    if (this.predictor) {
      const own = this.modeClient.ownPosition!(c.state, c.playerId);
      if (own && this.predictor.reconcile(c.ack, own) > 0) this.correctionMeter.add(now);
    }
    this.inputs.dilation = this.dilation.observe(c.bufferOffsetMs);
    this.motion.patch(tick, capturePlayers(c.state).values(), now);
    this.snapshot(tick);
  }

  private happened(list: readonly ModeEvent[], tick: number): void {
    if (this.modeClient.feedFromEvents) this.feed.push(...this.modeClient.feedFromEvents(list, this.client.state, tick));
    this.events.onEvents?.(list, tick);
  }

  private snapshot(tick: number): void {
    const c = this.client;
    const snap = this.modeClient.capture(c.state);
    this.buffer.push(c.tickTime(tick), snap);
    this.modeClient.onPatch?.(snap, c.playerId, performance.now());
    // Only consecutive ticks can be compared (a resync skips some).
    if (this.modeClient.feed && this.lastSnapTick === tick - 1) this.feed.push(...this.modeClient.feed(this.lastSnap, snap, tick));
    this.lastSnap = snap;
    this.lastSnapTick = tick;
  }

  private sendInput(): void {
    const input = this.modeClient.input(this.controlsNow(true));
    // The view time for lag compensation: the tick other entities are drawn at right now.
    const c = this.client;
    const viewTick = c.welcomeTick + ((this.renderTime(performance.now()) - c.welcomeServerTime) * c.tickRate) / 1000;
    const seq = c.sendInput(input, viewTick);
    this.inputMeter.add(performance.now());
    if (this.predictor) {
      this.predictor.apply(seq, input);
      this.modeClient.onInputSent?.(input, this.predictor.predicted, performance.now());
    } else {
      this.modeClient.onInputSent?.(input, { x: 0, y: 0 }, performance.now());
    }
  }

  private ping(): void {
    if (this.client.closed) return;
    this.client.ping();
    this.pingsSent++;
    this.pingTimer = setTimeout(() => this.ping(), this.pingsSent < PING_BURST ? PING_BURST_GAP_MS : PING_INTERVAL_MS);
  }

  private countTraffic(now: number): void {
    const c = this.client;
    this.downMeter.add(now, c.bytesIn - this.countedIn);
    this.upMeter.add(now, c.bytesOut - this.countedOut);
    this.countedIn = c.bytesIn;
    this.countedOut = c.bytesOut;
  }
}
