/**
 * Room chat. Enter opens the line (the game stops reading keys while it is open), Enter sends,
 * Escape closes. The server validates and rate-limits too (≤ 200 characters, no control
 * characters, about one line a second with a small burst); checking first here turns what would be
 * a silent drop or a disconnect into a hint.
 */
import { MAX_CHAT_CHARS } from '@tickforge/shared';
import { el } from '../dom';
import { cssColor, playerColor } from '../render/palette';

const SHOW_MS = 12_000;
const KEEP = 50;
// Same bucket as the server's (1 a second, burst 5): a message it would drop is refused here.
const RATE_PER_SECOND = 1;
const BURST = 5;

export interface ChatLine {
  playerId: number;
  name: string;
  text: string;
}

export class ChatBox {
  readonly root: HTMLElement;
  readonly lines: ChatLine[] = [];
  private readonly log: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly hint: HTMLElement;
  private readonly notices = new Map<string, { row: HTMLElement; timer: ReturnType<typeof setTimeout> }>();
  private tokens = BURST;
  private lastRefill = performance.now();
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || this.typing) return;
    e.preventDefault();
    this.open();
  };

  constructor(
    parent: HTMLElement,
    private readonly send: (text: string) => void,
    private readonly selfId: () => number,
  ) {
    this.log = el('div', { class: 'chat-log', 'data-testid': 'chat-log' });
    this.input = el('input', {
      class: 'chat-input',
      type: 'text',
      // A hard cap in UTF-16 units (characters beyond the BMP count double); `limit` cuts at
      // MAX_CHAT_CHARS characters, as the server counts them.
      maxlength: String(MAX_CHAT_CHARS * 2),
      placeholder: 'Say something… (Enter to send, Esc to close)',
      'aria-label': 'chat message',
      'data-testid': 'chat-input',
    });
    this.hint = el('div', { class: 'chat-hint' }, 'Enter to chat');
    this.root = el('div', { class: 'chat' }, this.log, this.input, this.hint);
    this.input.hidden = true;
    parent.append(this.root);
    window.addEventListener('keydown', this.onKey);
    this.input.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') this.close();
      if (e.key === 'Enter') {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.limit());
    this.input.addEventListener('blur', () => this.close());
  }

  get typing(): boolean {
    return document.activeElement === this.input;
  }

  open(): void {
    this.input.hidden = false;
    this.hint.hidden = true;
    this.root.classList.add('open');
    this.input.focus();
  }

  close(): void {
    this.input.value = '';
    this.input.hidden = true;
    this.hint.hidden = false;
    this.root.classList.remove('open');
    this.input.blur();
  }

  receive(line: ChatLine): void {
    this.lines.push(line);
    if (this.lines.length > KEEP) this.lines.shift();
    const row = el(
      'div',
      { class: 'chat-line' },
      el('b', { style: `color:${cssColor(playerColor(line.name))}` }, line.name + (line.playerId === this.selfId() ? ' (you)' : '')),
      ': ',
      line.text,
    );
    this.log.append(row);
    while (this.log.children.length > KEEP) this.log.firstElementChild!.remove();
    setTimeout(() => row.classList.add('old'), SHOW_MS);
    this.log.scrollTop = this.log.scrollHeight;
  }

  /**
   * Notes from the client itself (refusals), not sent anywhere. The same note again while it is
   * still shown moves to the bottom and stays up longer: pressing Enter five times is one notice.
   */
  notice(text: string): void {
    const shown = this.notices.get(text);
    if (shown && shown.row.isConnected && !shown.row.classList.contains('old')) {
      clearTimeout(shown.timer);
      this.log.append(shown.row);
      shown.timer = setTimeout(() => shown.row.classList.add('old'), SHOW_MS / 2);
    } else {
      const row = el('div', { class: 'chat-line notice' }, text);
      this.log.append(row);
      this.notices.set(text, { row, timer: setTimeout(() => row.classList.add('old'), SHOW_MS / 2) });
    }
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** Cuts the line at MAX_CHAT_CHARS characters (code points, as the server counts). */
  private limit(): void {
    const chars = [...this.input.value];
    if (chars.length <= MAX_CHAT_CHARS) return;
    this.input.value = chars.slice(0, MAX_CHAT_CHARS).join('');
    this.notice(`Messages are at most ${MAX_CHAT_CHARS} characters.`);
  }

  private submit(): void {
    // eslint-disable-next-line no-control-regex
    const text = this.input.value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (text.length === 0) return this.close();
    if ([...text].length > MAX_CHAT_CHARS) return this.notice(`Messages are at most ${MAX_CHAT_CHARS} characters.`);
    const now = performance.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.lastRefill) / 1000) * RATE_PER_SECOND);
    this.lastRefill = now;
    if (this.tokens < 1) return this.notice('Slow down: about one message a second.');
    this.tokens -= 1;
    this.send(text);
    this.close();
  }

  destroy(): void {
    window.removeEventListener('keydown', this.onKey);
    this.root.remove();
  }
}
