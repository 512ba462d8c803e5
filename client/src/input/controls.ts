/**
 * The local player's controls: WASD or arrow keys move, the pointer aims, the left button or Space
 * fires. Keys are tracked by `code` (the physical key), so AZERTY players get ZQSD for free.
 * While a text field has focus (chat), the game ignores the keyboard.
 *
 * Input frames are sampled at the tick rate (every 33 or 50 ms), and a quick tap or click can
 * fall between two samples: presses are latched until the next input frame has seen them.
 */
const LEFT = new Set(['KeyA', 'ArrowLeft']);
const RIGHT = new Set(['KeyD', 'ArrowRight']);
const UP = new Set(['KeyW', 'ArrowUp']);
const DOWN = new Set(['KeyS', 'ArrowDown']);
const FIRE = new Set(['Space']);
const GAME_KEYS = new Set([...LEFT, ...RIGHT, ...UP, ...DOWN, ...FIRE]);

export interface ControlState {
  dx: number;
  dy: number;
  fire: boolean;
  /** Pointer in CSS pixels relative to the canvas, or undefined before it moved. */
  pointer: { x: number; y: number } | undefined;
}

export class Controls {
  private readonly held = new Set<string>();
  /** Keys pressed since the last input frame (kept even if released since). */
  private readonly tapped = new Set<string>();
  private pointerDown = false;
  private clicked = false;
  private pointer: { x: number; y: number } | undefined;
  /** performance.now() of the last movement key press (the browser test reads it). */
  lastMoveKeyAt = -Infinity;
  private readonly removers: Array<() => void> = [];

  constructor(
    private readonly target: HTMLElement,
    private readonly isTyping: () => boolean,
  ) {
    this.on(window, 'keydown', (e) => {
      const ev = e as KeyboardEvent;
      if (this.isTyping() || !GAME_KEYS.has(ev.code)) return;
      ev.preventDefault();
      if (!this.held.has(ev.code) && !FIRE.has(ev.code)) this.lastMoveKeyAt = performance.now();
      this.held.add(ev.code);
      this.tapped.add(ev.code);
    });
    this.on(window, 'keyup', (e) => this.held.delete((e as KeyboardEvent).code));
    // A lost focus never delivers the keyup: release everything rather than run forever.
    this.on(window, 'blur', () => this.releaseAll());
    // Nor does a hidden tab (another tab, a minimised window): the input frames that keep going
    // out meanwhile are neutral, so the player stops instead of walking on unseen.
    this.on(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.releaseAll();
    });
    this.on(target, 'pointermove', (e) => this.track(e as PointerEvent));
    this.on(target, 'pointerdown', (e) => {
      const ev = e as PointerEvent;
      this.track(ev);
      if (ev.button === 0) this.pointerDown = this.clicked = true;
    });
    this.on(window, 'pointerup', (e) => {
      if ((e as PointerEvent).button === 0) this.pointerDown = false;
    });
    this.on(target, 'contextmenu', (e) => e.preventDefault());
  }

  /**
   * The controls now (all neutral while typing). With `frame`, this is an input frame: presses
   * since the previous one count even if already released, and are then forgotten.
   */
  read(out: ControlState, frame = false): ControlState {
    const typing = this.isTyping();
    const has = (keys: Set<string>) => {
      if (typing) return false;
      for (const k of keys) if (this.held.has(k) || (frame && this.tapped.has(k))) return true;
      return false;
    };
    out.dx = (has(RIGHT) ? 1 : 0) - (has(LEFT) ? 1 : 0);
    out.dy = (has(DOWN) ? 1 : 0) - (has(UP) ? 1 : 0);
    out.fire = !typing && (this.pointerDown || (frame && this.clicked) || has(FIRE));
    out.pointer = this.pointer;
    if (frame) {
      this.tapped.clear();
      this.clicked = false;
    }
    return out;
  }

  releaseAll(): void {
    this.held.clear();
    this.tapped.clear();
    this.clicked = false;
    this.pointerDown = false;
  }

  destroy(): void {
    for (const remove of this.removers) remove();
    this.removers.length = 0;
  }

  private track(e: PointerEvent): void {
    const r = this.target.getBoundingClientRect();
    this.pointer = { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private on(el: EventTarget, type: string, fn: (e: Event) => void): void {
    el.addEventListener(type, fn);
    this.removers.push(() => el.removeEventListener(type, fn));
  }
}
