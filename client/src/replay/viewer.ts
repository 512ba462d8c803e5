/**
 * The time-travel viewer (replay.html, served by the game server at /replay.html): opens a
 * recording (a .tfrec file chosen here, or `?file=URL`), re-simulates it (replay-ticks.ts) and
 * draws any tick with the game's own renderer for its mode. Play, pause, step one tick either way,
 * speed, a timeline to scrub; for the tick shown: the joins, leaves, input frames and events the
 * simulation applied, and the patch bytes the room sent. docs/replay.md describes it.
 *
 * window.__tickforgeReplay exposes what is shown (tick, hash, drawn positions) for the browser test.
 */
import '../style.css';
import './viewer.css';
import { stateHash, type BufferSample } from '@tickforge/shared';
import { el } from '../dom';
import { modeClientFor } from '../modes';
import type { ModeClient, ModeRenderer } from '../modes/mode-client';
import { PlayerSprite } from '../render/player-sprite';
import { Scene } from '../render/scene';
import { History } from '../../../server/src/room/history';
import { decodeState, replayTicks, type ReplayTicks } from './replay-ticks';

interface ShownFacts {
  tick: number;
  hash: number;
  recordedHash: number | undefined;
  players: Array<{ id: number; name: string; x: number; y: number }>;
}

declare global {
  interface Window {
    __tickforgeReplay: { loaded: boolean; error?: string; shown?: ShownFacts; lastTick: number; show(tick: number): void };
  }
}

const root = document.querySelector<HTMLElement>('#app')!;
const hook: Window['__tickforgeReplay'] = { loaded: false, lastTick: 0, show: () => {} };
window.__tickforgeReplay = hook;

const fileInput = el('input', { type: 'file', accept: '.tfrec', id: 'file' });
const status = el('span', { class: 'replay-status', id: 'status' }, 'Open a recording (.tfrec)');
const toolbar = el('div', { class: 'replay-bar' }, el('strong', {}, 'Tickforge replay'), fileInput, status);
root.append(toolbar);

const params = new URLSearchParams(location.search);
fileInput.onchange = async () => {
  const f = fileInput.files?.[0];
  if (f) await open(new Uint8Array(await f.arrayBuffer()), f.name);
};
const fileParam = params.get('file');
if (fileParam) void fetch(fileParam).then(async (r) => open(new Uint8Array(await r.arrayBuffer()), fileParam));

let viewer: Viewer | undefined;

async function open(bytes: Uint8Array, name: string): Promise<void> {
  viewer?.destroy();
  try {
    const t0 = performance.now();
    const data = replayTicks(bytes, (h) => new History(h.maxRewindTicks ?? 0, h.tickRate));
    viewer = await Viewer.create(root, data);
    const h = data.recording.header;
    status.textContent =
      `${name}: ${h.mode} room ${h.roomId}, ticks ${data.firstTick}..${data.recording.lastTick} at ${h.tickRate} Hz, ` +
      `re-simulated in ${Math.round(performance.now() - t0)} ms; ` +
      (data.firstMismatch === undefined ? `all ${data.recording.hashes.size} hashes verified` : `state differs from tick ${data.firstMismatch}`) +
      (data.recording.truncated ? ' (file cut mid-record)' : '');
    hook.loaded = true;
    hook.lastTick = data.recording.lastTick;
    hook.show = (tick) => viewer?.show(tick);
  } catch (err) {
    status.textContent = `Cannot open ${name}: ${(err as Error).message}`;
    hook.error = (err as Error).message;
  }
}

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

class Viewer {
  private index = 0;
  private playing = false;
  private speed = 1;
  private carryMs = 0;
  private readonly timeline: HTMLInputElement;
  private readonly tickLabel = el('span', { class: 'mono', id: 'tick' });
  private readonly playButton = el('button', { id: 'play' }, 'Play');
  private readonly details = el('div', { class: 'replay-details mono', id: 'details' });
  private readonly panel: HTMLElement;

  private constructor(
    private readonly data: ReplayTicks,
    private readonly scene: Scene,
    private readonly modeClient: ModeClient,
    private readonly renderer: ModeRenderer<unknown, unknown>,
  ) {
    const last = data.ticks.length - 1;
    this.timeline = el('input', { type: 'range', min: '0', max: String(last), value: '0', id: 'timeline', class: 'replay-timeline' });
    const speed = el('select', { id: 'speed' }, ...SPEEDS.map((s) => el('option', { value: String(s), ...(s === 1 ? { selected: '' } : {}) }, `${s}×`)));
    const back = el('button', { id: 'back', title: 'one tick back (←)' }, '◀ 1');
    const fwd = el('button', { id: 'step', title: 'one tick forward (→)' }, '1 ▶');
    this.playButton.onclick = () => this.setPlaying(!this.playing);
    back.onclick = () => this.go(this.index - 1);
    fwd.onclick = () => this.go(this.index + 1);
    speed.onchange = () => (this.speed = Number(speed.value));
    this.timeline.oninput = () => this.go(Number(this.timeline.value));
    window.onkeydown = (e) => {
      if (e.key === ' ') this.setPlaying(!this.playing);
      else if (e.key === 'ArrowRight') this.go(this.index + 1);
      else if (e.key === 'ArrowLeft') this.go(this.index - 1);
    };
    this.panel = el('div', { class: 'replay-panel' }, el('div', { class: 'replay-controls' }, this.playButton, back, fwd, speed, this.timeline, this.tickLabel), this.details);
    root.append(this.panel);
    scene.app.ticker.add(this.frame);
    this.go(0);
  }

  static async create(host: HTMLElement, data: ReplayTicks): Promise<Viewer> {
    const choice = new URLSearchParams(location.search).get('renderer');
    const scene = await Scene.create(host, choice === 'canvas' || choice === 'webgl' ? choice : 'auto');
    const modeClient = modeClientFor(data.mode);
    scene.setWorld(modeClient.world.width, modeClient.world.height);
    const banner = el('div', { class: 'mode-banner' });
    host.append(banner);
    const renderer = modeClient.createRenderer({ world: scene.layer, screen: scene.hud, banner }, data.mode) as ModeRenderer<unknown, unknown>;
    return new Viewer(data, scene, modeClient, renderer);
  }

  show(tick: number): void {
    this.go(tick - this.data.firstTick);
  }

  destroy(): void {
    this.scene.app.ticker.remove(this.frame);
    this.renderer.destroy();
    this.scene.destroy();
    this.panel.remove();
  }

  private setPlaying(on: boolean): void {
    this.playing = on && this.index < this.data.ticks.length - 1;
    this.playButton.textContent = this.playing ? 'Pause' : 'Play';
    this.carryMs = 0;
  }

  private readonly frame = (ticker: { deltaMS: number }): void => {
    if (this.playing) {
      this.carryMs += ticker.deltaMS * this.speed;
      const tickMs = 1000 / this.data.recording.header.tickRate;
      const n = Math.floor(this.carryMs / tickMs);
      if (n > 0) {
        this.carryMs -= n * tickMs;
        this.go(this.index + n);
        if (this.index >= this.data.ticks.length - 1) this.setPlaying(false);
      }
    }
    this.draw();
  };

  private state: unknown;
  private snap: unknown;

  private go(index: number): void {
    const i = Math.max(0, Math.min(this.data.ticks.length - 1, index));
    this.index = i;
    this.timeline.value = String(i);
    const t = this.data.ticks[i]!;
    const state = decodeState(this.data.mode, t.full, t.tick, this.data.recording.header.tickRate);
    this.state = state;
    this.snap = this.modeClient.capture(state);
    this.draw();
    const hash = stateHash(state);
    hook.shown = { tick: t.tick, hash, recordedHash: t.recordedHash, players: this.drawnPlayers() };
    this.tickLabel.textContent = `tick ${t.tick} / ${this.data.recording.lastTick}`;
    this.showDetails(hash);
  }

  private draw(): void {
    const t = this.data.ticks[this.index]!;
    const sample = { from: this.snap, to: this.snap, fromTime: 0, toTime: 0, alpha: 0, starvedMs: 0 } as BufferSample<unknown>;
    const focus = this.renderer.render({
      state: this.state,
      playerId: 0,
      sample,
      renderTick: t.tick,
      self: undefined,
      aim: 0,
      screen: this.scene.app.screen,
      now: performance.now(),
      tickRate: this.data.recording.header.tickRate,
    });
    const w = this.modeClient.world;
    const players = this.drawnPlayers();
    const c = focus ?? (players.length ? { x: avg(players.map((p) => p.x)), y: avg(players.map((p) => p.y)) } : { x: w.width / 2, y: w.height / 2 });
    this.scene.follow(c.x, c.y);
  }

  private drawnPlayers(): ShownFacts['players'] {
    const out: ShownFacts['players'] = [];
    for (const child of this.scene.layer.children) {
      if (child instanceof PlayerSprite && child.visible) out.push({ id: child.playerId, name: child.displayName, x: child.x, y: child.y });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  private showDetails(hash: number): void {
    const t = this.data.ticks[this.index]!;
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const lines: string[] = [];
    if (t.recordedHash !== undefined) {
      lines.push(`state hash ${hex(hash)}: ${hash === t.recordedHash ? 'matches the recorded hash' : `recorded ${hex(t.recordedHash)} — DIFFERS`}`);
    }
    for (const p of t.leaves) lines.push(`leave  player ${p.id} ${p.name}`);
    for (const p of t.joins) lines.push(`join   player ${p.id} ${p.name}`);
    lines.push(`inputs applied: ${t.inputs.length}`);
    for (const f of t.inputs)
      lines.push(`  player ${f.player.id} #${f.seq} ${JSON.stringify(f.input, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v))}`);
    for (const e of t.events) lines.push(`event  ${JSON.stringify(e)}`);
    const patch = t.patch ?? new Uint8Array(0);
    lines.push(`patch: ${patch.byteLength} bytes of state${patch.byteLength ? ':' : ''}`);
    for (let i = 0; i < Math.min(patch.byteLength, 256); i += 16) {
      lines.push('  ' + Array.from(patch.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
    }
    if (patch.byteLength > 256) lines.push(`  … ${patch.byteLength - 256} more`);
    this.details.textContent = lines.join('\n');
  }
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
