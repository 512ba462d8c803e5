/**
 * A game in progress: the Pixi scene, the connection (through the network simulator when the URL
 * asks for one), the mode's renderer, and the HUD around it, driven by Pixi's frame ticker.
 * Inputs do not wait for frames: the session sends them on their own fixed schedule.
 */
import { findMode, socketUrl, type MatchmakeAnswer, type SocketLike } from '@tickforge/shared';
import { el } from './dom';
import { ChatBox } from './hud/chat';
import { ConnectionStatus } from './hud/connection-status';
import { KillFeed } from './hud/kill-feed';
import { NetHud } from './hud/net-hud';
import { Scoreboard } from './hud/scoreboard';
import { Controls as KeyboardMouse, type ControlState } from './input/controls';
import type { Controls, ModeRenderer } from './modes/mode-client';
import { modeClientFor } from './modes';
import { GameSession } from './net/game-session';
import { describeConditions, isSimulating, type NetworkConditions } from './net/network-conditions';
import { SimulatedSocket } from './net/simulated-socket';
import { Minimap } from './render/minimap';
import { PlayerSprite } from './render/player-sprite';
import { Scene, type RendererChoice } from './render/scene';
import { hook, recordFrame } from './test-hook';

export interface GameOptions {
  conditions: NetworkConditions;
  renderer: RendererChoice;
  /** Draw with the generic renderer whatever the mode (?draw=generic), to see what a new mode gets. */
  genericRenderer: boolean;
  showNetHud: boolean;
  /** The connection ended; `byPlayer` when the player chose to leave. */
  onEnd(end: { code: number; reason: string; byPlayer: boolean }): void;
}

export class JoinFailed extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`connection closed before the game started: ${code} ${reason}`);
  }
}

export class Game {
  readonly session: GameSession;
  private readonly root: HTMLElement;
  private readonly renderer: ModeRenderer<unknown, unknown>;
  private readonly input: KeyboardMouse;
  private readonly chat: ChatBox;
  private readonly feed: KillFeed;
  private readonly scoreboard: Scoreboard;
  private readonly netHud: NetHud;
  private readonly connection: ConnectionStatus;
  private readonly hint: HTMLElement;
  private readonly minimap: Minimap;
  private readonly controlState: ControlState = { dx: 0, dy: 0, fire: false, pointer: undefined };
  private readonly controls: Controls = { dx: 0, dy: 0, aim: 0, fire: false };
  private focus: { x: number; y: number } | undefined;
  private leaving = false;
  private ended = false;
  private lastFrame = performance.now();

  private constructor(
    private readonly scene: Scene,
    parent: HTMLElement,
    seat: MatchmakeAnswer,
    private readonly options: GameOptions,
    started: { resolve(): void; reject(err: Error): void },
  ) {
    const mode = findMode(seat.mode);
    if (!mode) throw new Error(`this client does not know the mode "${seat.mode}"; reload the page`);
    const modeClient = modeClientFor(mode, options.genericRenderer);
    this.root = el('div', { class: 'game', 'data-testid': 'game' });
    parent.append(this.root);
    this.root.append(scene.app.canvas);
    scene.setWorld(modeClient.world.width, modeClient.world.height);
    this.minimap = new Minimap(modeClient.world.width, modeClient.world.height);
    scene.hud.addChild(this.minimap);

    const ws = new WebSocket(socketUrl(location.href, seat));
    const socket: SocketLike = isSimulating(options.conditions) ? new SimulatedSocket(ws, options.conditions) : (ws as unknown as SocketLike);

    this.chat = new ChatBox(
      this.root,
      (text) => this.session.chat(text),
      () => this.session.playerId,
    );
    this.input = new KeyboardMouse(scene.app.canvas, () => this.chat.typing);
    this.session = new GameSession(mode, modeClient, socket, (frame) => this.readControls(frame), {
      onWelcome: () => {
        hook.phase = 'playing';
        hook.playerId = this.session.playerId;
        hook.roomId = seat.roomId;
        hook.mode = seat.mode;
        started.resolve();
      },
      onChat: (playerId, name, text) => this.chat.receive({ playerId, name, text }),
      onFeed: (entry) => this.feed.add(entry),
      onClose: (code, reason) => {
        if (!this.session.client.welcomed) return started.reject(new JoinFailed(code, reason));
        this.end(code, reason);
      },
    });
    const banner = el('div', { class: 'mode-banner', 'data-testid': 'mode-banner' });
    this.root.append(banner);
    this.renderer = modeClient.createRenderer({ world: scene.layer, screen: scene.hud, banner }, mode) as ModeRenderer<unknown, unknown>;

    const leave = el('button', { class: 'leave', type: 'button', title: 'Back to the lobby' }, 'Leave');
    leave.addEventListener('click', () => this.leave());
    this.root.append(el('div', { class: 'topbar' }, leave, el('span', { class: 'room-tag' }, `${mode.title} · room `, el('span', { class: 'mono' }, seat.roomId))));
    this.scoreboard = new Scoreboard(this.root, 'Score');
    this.feed = new KillFeed(this.root, () => this.session.playerId);
    this.netHud = new NetHud(this.root, this.session, describeConditions(options.conditions), options.showNetHud);
    this.connection = new ConnectionStatus(this.root);
    this.hint = el(
      'div',
      { class: 'controls-hint', 'data-testid': 'controls-hint' },
      el('span', {}, `${modeClient.controlsHint ?? 'WASD / arrows move · click or Space acts'} · Enter chats · F3 network`),
    );
    this.root.append(this.hint);
    setTimeout(() => this.hint.classList.add('fading'), 6000);

    hook.moments = () => [...(this.renderer.moments?.() ?? [])];
    hook.interruptions = () => this.connection.history.map((i) => ({ ...i }));
    hook.players = () => this.drawnPlayers();
    hook.chat = () => [...this.chat.lines];
    hook.feed = () => [...this.feed.history];
    hook.figures = () => this.session.figures(performance.now());
    hook.motion = () => this.session.motion.figures();
    hook.resetMotion = () => this.session.motion.reset();
    hook.screenOf = (x, y) => {
      const r = this.scene.app.canvas.getBoundingClientRect();
      const p = this.scene.toScreen(x, y);
      return { x: r.left + p.x, y: r.top + p.y };
    };
    hook.frames = [];
    scene.app.ticker.add(this.frame);
  }

  /** Connects and resolves once the welcome arrived (rejects with JoinFailed if refused). */
  static async start(parent: HTMLElement, seat: MatchmakeAnswer, options: GameOptions): Promise<Game> {
    const scene = await Scene.create(parent, options.renderer);
    let game: Game | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        game = new Game(scene, parent, seat, options, { resolve, reject });
      });
      return game!;
    } catch (err) {
      if (game) game.destroy();
      else scene.destroy();
      throw err;
    }
  }

  /** Token that takes this player back into the room within the server's grace period ('' if none). */
  get reconnectToken(): string {
    return this.session.client.reconnectToken;
  }

  /** A line from the client itself in the chat box (not sent). */
  notice(text: string): void {
    this.chat.notice(text);
  }

  /** The player leaves the room. */
  leave(): void {
    this.leaving = true;
    this.session.leave();
    this.end(1000, 'left');
  }

  destroy(): void {
    this.session.stop();
    this.scene.app.ticker.remove(this.frame);
    this.input.destroy();
    this.chat.destroy();
    this.feed.destroy();
    this.scoreboard.destroy();
    this.netHud.destroy();
    this.connection.destroy();
    this.renderer.destroy();
    this.scene.destroy();
    this.root.remove();
    if (!this.session.client.closed) this.session.client.close();
  }

  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.session.stop();
    this.input.releaseAll();
    hook.phase = this.leaving ? 'lobby' : 'disconnected';
    this.options.onEnd({ code, reason, byPlayer: this.leaving });
  }

  private readonly frame = (): void => {
    const now = performance.now();
    const elapsed = now - this.lastFrame;
    this.lastFrame = now;
    const s = this.session;
    if (!s.client.welcomed) return;
    const f = s.frame(now, elapsed);
    this.updateAim(f.self ?? this.focus);
    const focus = this.renderer.render({
      state: s.client.state,
      playerId: s.playerId,
      sample: f.sample,
      renderTick: f.renderTick,
      self: f.self,
      aim: this.controls.aim,
      screen: this.scene.app.screen,
      now,
      tickRate: s.client.tickRate,
    });
    if (focus) {
      this.focus = { x: focus.x, y: focus.y };
      this.scene.follow(focus.x, focus.y);
      recordFrame(now, focus.x, focus.y);
    }
    const drawn = this.drawnPlayers();
    this.minimap.draw(this.scene.app.screen, drawn, this.scene.view());
    s.motion.frame(now, drawn);
    hook.lastMoveKeyAt = this.input.lastMoveKeyAt;
    const rows = s.modeClient.scoreboard?.(s.client.state);
    if (rows) this.scoreboard.update(now, rows, s.playerId);
    this.netHud.update(now);
    this.connection.update(now, s.silentMs(now));
  };

  private readControls(frame: boolean): Controls {
    this.input.read(this.controlState, frame);
    this.controls.dx = this.controlState.dx;
    this.controls.dy = this.controlState.dy;
    this.controls.fire = this.controlState.fire;
    this.updateAim(this.focus);
    return this.controls;
  }

  private updateAim(from: { x: number; y: number } | undefined): void {
    const pointer = this.controlState.pointer;
    if (!pointer || !from) return;
    const target = this.scene.toWorld(pointer.x, pointer.y);
    const dx = target.x - from.x;
    const dy = target.y - from.y;
    if (dx * dx + dy * dy > 1) this.controls.aim = Math.atan2(dy, dx);
  }

  private drawnPlayers() {
    const out: Array<{ id: number; name: string; x: number; y: number; self: boolean }> = [];
    const walk = (c: { children: unknown[] }) => {
      for (const child of c.children) {
        if (child instanceof PlayerSprite) out.push({ id: child.playerId, name: child.displayName, x: child.x, y: child.y, self: child.self });
      }
    };
    walk(this.scene.layer);
    return out;
  }
}
