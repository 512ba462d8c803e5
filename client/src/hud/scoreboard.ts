/** The scoreboard: players by score, the own row highlighted. Refreshed a few times a second. */
import { el } from '../dom';
import type { ScoreRow } from '../modes/mode-client';
import { cssColor, playerColor } from '../render/palette';

const SHOWN = 8;

export class Scoreboard {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private lastUpdate = 0;
  private lastKey = '';

  constructor(parent: HTMLElement, title: string) {
    this.list = el('ol', { class: 'score-list' });
    this.root = el('div', { class: 'scoreboard', 'data-testid': 'scoreboard' }, el('div', { class: 'panel-title' }, title), this.list);
    parent.append(this.root);
  }

  update(now: number, rows: ScoreRow[], selfId: number): void {
    if (now - this.lastUpdate < 250) return;
    this.lastUpdate = now;
    let shown = rows.slice(0, SHOWN);
    const self = rows.find((r) => r.id === selfId);
    if (self && !shown.includes(self)) shown = [...shown.slice(0, SHOWN - 1), self];
    const key = shown.map((r) => `${r.id}:${r.name}:${r.score}`).join('|');
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.list.replaceChildren(
      ...shown.map((r) =>
        el(
          'li',
          { class: r.id === selfId ? 'self' : '' },
          el('span', { class: 'dot', style: `background:${cssColor(playerColor(r.name))}` }),
          el('span', { class: 'score-name' }, r.name),
          el('span', { class: 'score-value' }, String(r.score)),
        ),
      ),
    );
  }

  destroy(): void {
    this.root.remove();
  }
}
