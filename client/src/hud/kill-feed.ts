/** The kill feed: the latest few events, each fading out after a few seconds. */
import { el } from '../dom';
import type { FeedEntry } from '../modes/mode-client';
import { cssColor, playerColor } from '../render/palette';

const KEEP = 5;
const SHOW_MS = 6000;

export class KillFeed {
  readonly root: HTMLElement;
  /** Everything shown so far, as text (the browser test and the console read it). */
  readonly history: string[] = [];

  constructor(
    parent: HTMLElement,
    private readonly selfId: () => number,
  ) {
    this.root = el('div', { class: 'kill-feed', 'data-testid': 'kill-feed' });
    parent.append(this.root);
  }

  add(entry: FeedEntry): void {
    const name = (p: { id: number; name: string }) => el('b', { class: p.id === this.selfId() ? 'self' : '', style: `color:${cssColor(playerColor(p.name))}` }, p.name);
    const row = el('div', { class: 'feed-row' });
    for (const part of entry.parts) row.append(typeof part === 'string' ? part : name(part));
    this.history.push(row.textContent ?? '');
    this.root.prepend(row);
    while (this.root.children.length > KEEP) this.root.lastElementChild!.remove();
    setTimeout(() => row.classList.add('fading'), SHOW_MS);
    setTimeout(() => row.remove(), SHOW_MS + 600);
  }

  destroy(): void {
    this.root.remove();
  }
}
