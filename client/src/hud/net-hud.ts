/**
 * The network HUD (F3): ping, jitter, server tick, patches per second, kbps down and up,
 * interpolation delay, link stalls seen, prediction corrections per second, and a graph of the transit of each patch
 * against the view delay (a patch above the line arrived too late to be interpolated).
 */
import { el } from '../dom';
import type { GameSession, NetFigures } from '../net/game-session';

const GRAPH_MS = 6000;

export class NetHud {
  readonly root: HTMLElement;
  private readonly rows = new Map<string, HTMLElement>();
  private readonly graph: HTMLCanvasElement;
  private visible: boolean;
  private lastUpdate = 0;
  /** The figures last shown (the browser test reads them). */
  figures: NetFigures | undefined;
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.code !== 'F3') return;
    e.preventDefault();
    this.toggle();
  };

  constructor(
    parent: HTMLElement,
    private readonly session: GameSession,
    simulation: string,
    visible: boolean,
  ) {
    this.graph = el('canvas', { class: 'net-graph', width: '240', height: '70' });
    const table = el('dl', { class: 'net-rows' });
    const add = (key: string, label: string) => {
      const value = el('dd', {}, '–');
      table.append(el('dt', {}, label), value);
      this.rows.set(key, value);
    };
    add('ping', 'ping');
    add('jitter', 'jitter');
    add('tick', 'server tick');
    add('patches', 'patches/s');
    add('down', 'down');
    add('up', 'up');
    add('interp', 'interp delay');
    add('stalls', 'stalls');
    add('corrections', 'corrections/s');
    add('inputs', 'inputs/s · unacked');
    this.root = el(
      'div',
      { class: 'net-hud', 'data-testid': 'net-hud' },
      el('div', { class: 'net-title' }, 'Network · F3'),
      table,
      this.graph,
      el('div', { class: 'net-sim' }, `simulated: ${simulation}`),
    );
    parent.append(this.root);
    this.visible = visible;
    this.root.hidden = !visible;
    window.addEventListener('keydown', this.onKey);
  }

  toggle(): void {
    this.visible = !this.visible;
    this.root.hidden = !this.visible;
  }

  update(now: number): void {
    if (now - this.lastUpdate < 250) return;
    this.lastUpdate = now;
    const f = this.session.figures(now);
    this.figures = f;
    if (!this.visible) return;
    const set = (k: string, v: string) => (this.rows.get(k)!.textContent = v);
    set('ping', `${f.pingMs.toFixed(0)} ms`);
    set('jitter', `${f.jitterMs.toFixed(1)} ms`);
    set('tick', String(f.serverTick));
    set('patches', f.patchesPerSecond.toFixed(0));
    set('down', `${f.kbpsDown.toFixed(1)} kbps`);
    set('up', `${f.kbpsUp.toFixed(1)} kbps`);
    set('interp', `${f.interpDelayMs.toFixed(0)} ms`);
    set('stalls', String(f.stalls));
    set('corrections', `${f.correctionsPerSecond.toFixed(1)} (total ${f.corrections})`);
    set('inputs', `${f.inputsPerSecond.toFixed(0)} · ${f.unackedInputs}`);
    this.drawGraph(now, f);
  }

  private drawGraph(now: number, f: NetFigures): void {
    const g = this.graph.getContext('2d');
    if (!g) return;
    const { width: w, height: h } = this.graph;
    g.clearRect(0, 0, w, h);
    const points = this.session.transits;
    let top = f.viewDelayMs;
    for (const [, t] of points) top = Math.max(top, t);
    const scale = (h - 6) / Math.max(50, top * 1.15);
    const y = (ms: number) => h - 3 - ms * scale;
    g.fillStyle = 'rgba(96,165,250,0.9)';
    for (const [at, t] of points) {
      const age = now - at;
      if (age > GRAPH_MS) continue;
      g.fillRect(w - (age / GRAPH_MS) * w - 1, y(t) - 1, 2, 2);
    }
    const line = (ms: number, color: string) => {
      g.strokeStyle = color;
      g.beginPath();
      g.moveTo(0, y(ms));
      g.lineTo(w, y(ms));
      g.stroke();
    };
    line(f.viewDelayMs - 1000 / 30, 'rgba(250,204,21,0.8)');
    g.fillStyle = 'rgba(230,237,247,0.6)';
    g.font = '10px system-ui, sans-serif';
    g.fillText(`transit per patch · late above yellow`, 4, 11);
  }

  destroy(): void {
    window.removeEventListener('keydown', this.onKey);
    this.root.remove();
  }
}
