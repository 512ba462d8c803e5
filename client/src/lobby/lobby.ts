/**
 * The lobby: a name, the server's modes (quick play or a new room of each), and the open rooms with
 * their player counts, refreshed every two seconds. If the server cannot be reached it says so and
 * keeps retrying; messages from a failed join or a dropped game show at the top.
 */
import { el } from '../dom';
import { cleanName, fetchModes, fetchRooms, ServerUnreachable, type JoinRequest, type ModeInfo, type RoomInfo } from './lobby-api';

const REFRESH_MS = 2000;
const NAME_KEY = 'tickforge.name';

export class Lobby {
  readonly root: HTMLElement;
  private readonly nameInput: HTMLInputElement;
  private readonly message: HTMLElement;
  private readonly status: HTMLElement;
  private readonly modesList: HTMLElement;
  private readonly roomsBody: HTMLElement;
  private modes: ModeInfo[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private busy = false;
  private active = false;

  constructor(
    parent: HTMLElement,
    private readonly onJoin: (req: JoinRequest) => Promise<void>,
  ) {
    this.nameInput = el('input', {
      id: 'player-name',
      type: 'text',
      maxlength: '20',
      placeholder: 'Your name',
      autocomplete: 'nickname',
      'data-testid': 'name',
    });
    this.nameInput.value = localStorage.getItem(NAME_KEY) ?? '';
    this.nameInput.addEventListener('change', () => localStorage.setItem(NAME_KEY, cleanName(this.nameInput.value)));
    this.message = el('div', { class: 'lobby-message', role: 'alert', 'data-testid': 'lobby-message' });
    this.message.hidden = true;
    this.status = el('div', { class: 'lobby-status', 'data-testid': 'lobby-status' }, 'Connecting to the server…');
    this.modesList = el('div', { class: 'modes' });
    this.roomsBody = el('tbody');
    this.root = el(
      'main',
      { class: 'lobby', 'data-testid': 'lobby' },
      el(
        'div',
        { class: 'lobby-card' },
        el('header', {}, el('h1', {}, 'Tickforge'), el('p', { class: 'tagline' }, 'Fast rooms, fair fights.')),
        this.message,
        el('label', { class: 'name-field', for: 'player-name' }, el('span', {}, 'Name'), this.nameInput),
        el('h2', {}, 'Modes'),
        this.modesList,
        el('h2', {}, 'Open rooms'),
        // The room list scrolls inside the card, so the lobby itself fits the window (1280×720).
        el(
          'div',
          { class: 'rooms-wrap' },
          el(
            'table',
            { class: 'rooms', 'data-testid': 'rooms' },
            el('thead', {}, el('tr', {}, el('th', {}, 'Room'), el('th', {}, 'Mode'), el('th', {}, 'Players'), el('th', {}))),
            this.roomsBody,
          ),
        ),
        this.status,
        el('footer', { class: 'keys' }, 'WASD / arrows move · mouse aims · click or Space fires · Enter chats · F3 network'),
      ),
    );
    parent.append(this.root);
  }

  show(message?: string): void {
    this.root.hidden = false;
    this.active = true;
    this.setMessage(message);
    this.setBusy(false);
    void this.refresh();
  }

  hide(): void {
    this.root.hidden = true;
    this.active = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  setMessage(message: string | undefined): void {
    this.message.textContent = message ?? '';
    this.message.hidden = !message;
  }

  get name(): string {
    return cleanName(this.nameInput.value);
  }

  private async refresh(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    try {
      const [modes, rooms] = await Promise.all([this.modes.length > 0 ? this.modes : fetchModes(), fetchRooms()]);
      if (!this.active) return;
      if (this.modes.length === 0) {
        this.modes = modes;
        this.renderModes();
      }
      this.renderRooms(rooms);
      this.status.textContent = `Updated ${new Date().toLocaleTimeString()} · refreshes every ${REFRESH_MS / 1000} s`;
      this.status.classList.remove('down');
      this.root.classList.remove('server-down');
    } catch (err) {
      if (!this.active) return;
      this.status.textContent = err instanceof ServerUnreachable ? 'The server is not reachable. Retrying every 2 s…' : `Could not load the lobby: ${(err as Error).message}`;
      this.status.classList.add('down');
      this.root.classList.add('server-down');
    }
    if (this.active) this.timer = setTimeout(() => void this.refresh(), REFRESH_MS);
  }

  private renderModes(): void {
    this.modesList.replaceChildren(
      ...this.modes
        .filter((m) => m.lobby !== false)
        .map((m) =>
          el(
            'div',
            { class: 'mode-card', 'data-mode': m.name },
            el('div', { class: 'mode-text' }, el('h3', {}, m.title), el('p', {}, m.description), el('small', {}, `up to ${m.maxPlayers} players · ${m.tickRate} Hz`)),
            el(
              'div',
              { class: 'mode-actions' },
              this.button('Quick play', { mode: m.name }, true, `quick-${m.name}`),
              this.button('New room', { mode: m.name, create: true }, false, `create-${m.name}`),
            ),
          ),
        ),
    );
  }

  private renderRooms(rooms: RoomInfo[]): void {
    const titles = new Map(this.modes.map((m) => [m.name, m.title]));
    if (rooms.length === 0) {
      this.roomsBody.replaceChildren(el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'No open rooms yet: Quick play opens one.')));
      return;
    }
    rooms.sort((a, b) => b.seatsTaken - a.seatsTaken || a.id.localeCompare(b.id));
    this.roomsBody.replaceChildren(
      ...rooms.map((r) => {
        const full = r.seatsTaken >= r.maxPlayers;
        const join = this.button(full ? 'Full' : 'Join', { mode: r.mode, roomId: r.id }, false, `join-${r.id}`);
        // A full room stays clickable: the server's answer (409) is the one that counts.
        if (full) join.classList.add('full');
        return el(
          'tr',
          { 'data-room': r.id },
          el('td', { class: 'mono' }, r.id),
          el('td', {}, titles.get(r.mode) ?? r.mode),
          // Seats, not connections: reserved seats and players within their reconnection grace
          // count too, so a full room reads "16 / 16" beside "Full".
          el('td', { class: 'seats' }, `${r.seatsTaken} / ${r.maxPlayers}`, ...(r.players !== r.seatsTaken ? [el('small', {}, ` · ${r.players} playing`)] : [])),
          el('td', {}, join),
        );
      }),
    );
  }

  private button(label: string, req: Omit<JoinRequest, 'name'>, primary: boolean, testId: string): HTMLButtonElement {
    const b = el('button', { type: 'button', class: primary ? 'primary' : '', 'data-testid': testId }, label);
    b.addEventListener('click', () => void this.join(req));
    return b;
  }

  private async join(req: Omit<JoinRequest, 'name'>): Promise<void> {
    if (this.busy) return;
    const name = this.name;
    localStorage.setItem(NAME_KEY, name);
    this.setBusy(true);
    this.setMessage(undefined);
    try {
      await this.onJoin({ ...req, name });
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.root.classList.toggle('busy', busy);
  }
}
