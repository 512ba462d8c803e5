/** A centred message over the game or the lobby, with buttons (connection lost → Rejoin / Lobby). */
import { el } from '../dom';

export interface OverlayAction {
  label: string;
  primary?: boolean;
  run(): void;
}

export class Overlay {
  private root: HTMLElement | undefined;
  private progress: HTMLElement | undefined;

  constructor(private readonly parent: HTMLElement) {}

  /** With `busy`, a spinner and a progress line (`progressText`) under the message. */
  show(title: string, message: string, actions: OverlayAction[], busy = false): void {
    this.hide();
    const buttons = actions.map((a) => {
      const b = el('button', { class: a.primary ? 'primary' : '', type: 'button' }, a.label);
      b.addEventListener('click', () => a.run());
      return b;
    });
    this.progress = busy ? el('span', { 'data-testid': 'overlay-progress' }) : undefined;
    this.root = el(
      'div',
      { class: 'overlay', role: 'alertdialog', 'data-testid': 'overlay' },
      el(
        'div',
        { class: 'overlay-card' },
        el('h2', {}, title),
        el('p', {}, message),
        ...(this.progress ? [el('div', { class: 'overlay-progress', role: 'status' }, el('span', { class: 'overlay-spinner' }), this.progress)] : []),
        el('div', { class: 'overlay-actions' }, ...buttons),
      ),
    );
    this.parent.append(this.root);
    buttons.find((_, i) => actions[i]!.primary)?.focus();
  }

  /** Updates the progress line of a busy overlay. */
  progressText(text: string): void {
    if (this.progress && this.progress.textContent !== text) this.progress.textContent = text;
  }

  hide(): void {
    this.root?.remove();
    this.root = undefined;
    this.progress = undefined;
  }
}
