/**
 * Says when the line has gone quiet: with no patch for more than half a second (fifteen missed
 * at 30 Hz, far beyond any jitter the view covers) the world on screen is stale, and the player
 * should know it is the connection and not the game. It goes as soon as patches flow again.
 * The socket dropping altogether is the reconnect overlay's job (main.ts).
 */
import { el } from '../dom';

/** Quiet longer than this (ms) is an interruption. */
export const INTERRUPTED_AFTER_MS = 500;

export class ConnectionStatus {
  readonly root: HTMLElement;
  private readonly detail: HTMLElement;
  private shownSince: number | undefined;
  /** Every interruption shown: client times it appeared and went (the browser test reads them). */
  readonly history: Array<{ from: number; to: number | undefined }> = [];

  constructor(parent: HTMLElement) {
    this.detail = el('span', { class: 'conn-detail' });
    this.root = el(
      'div',
      { class: 'conn-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'connection-interrupted' },
      el('span', { class: 'conn-spinner' }),
      el('span', {}, el('b', {}, 'Connection interrupted'), this.detail),
    );
    this.root.hidden = true;
    parent.append(this.root);
  }

  get shown(): boolean {
    return this.shownSince !== undefined;
  }

  /** Once per frame, with how long no patch has arrived. */
  update(now: number, silentMs: number): void {
    if (silentMs > INTERRUPTED_AFTER_MS) {
      if (this.shownSince === undefined) {
        this.shownSince = now;
        this.root.hidden = false;
        this.history.push({ from: now, to: undefined });
      }
      const text = ` · no update from the server for ${(silentMs / 1000).toFixed(1)} s, waiting…`;
      if (this.detail.textContent !== text) this.detail.textContent = text;
    } else if (this.shownSince !== undefined) {
      this.shownSince = undefined;
      this.root.hidden = true;
      this.history[this.history.length - 1]!.to = now;
    }
  }

  destroy(): void {
    this.root.remove();
  }
}
