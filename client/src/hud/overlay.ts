/** A centred message over the game or the lobby, with buttons (connection lost → Rejoin / Lobby). */
import { el } from '../dom';

export interface OverlayAction {
  label: string;
  primary?: boolean;
  run(): void;
}

export class Overlay {
  private root: HTMLElement | undefined;

  constructor(private readonly parent: HTMLElement) {}

  show(title: string, message: string, actions: OverlayAction[]): void {
    this.hide();
    const buttons = actions.map((a) => {
      const b = el('button', { class: a.primary ? 'primary' : '', type: 'button' }, a.label);
      b.addEventListener('click', () => a.run());
      return b;
    });
    this.root = el(
      'div',
      { class: 'overlay', role: 'alertdialog', 'data-testid': 'overlay' },
      el('div', { class: 'overlay-card' }, el('h2', {}, title), el('p', {}, message), el('div', { class: 'overlay-actions' }, ...buttons)),
    );
    this.parent.append(this.root);
    buttons.find((_, i) => actions[i]!.primary)?.focus();
  }

  hide(): void {
    this.root?.remove();
    this.root = undefined;
  }
}
