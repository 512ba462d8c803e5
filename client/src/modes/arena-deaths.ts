/**
 * Arena's deaths as the players see them. The server respawns a victim in the tick it dies, at a
 * random spot with full health; drawn as is, the victim just teleports and nobody can tell a kill
 * from a glitch. So a kill (killer, victim, tick) becomes a moment:
 *
 * - the victim: a banner "<killer> eliminated you", the camera held on the spot of death (a burst
 *   marks it) for RESPAWN_MOMENT_MS, gliding to the new spot at the end, where a ring shows the
 *   respawn. Meanwhile the own inputs are neutral (`controlsLocked`): nobody walks blind from a
 *   spot they cannot see. It starts as soon as the kill's patch arrives, since the own player is
 *   drawn predicted (ahead of the interpolated world) and the correction moves it at once.
 * - the killer: a confirmation "You eliminated <victim>" and a larger burst where the victim was
 *   drawn, when the interpolated view reaches the kill (never before the victim is seen hit).
 * - everyone else: the burst at the spot of death and the ring at the respawn, at the same moment.
 *
 * Hits before the kill show on the sprites themselves (a flash and a ring on every hp drop,
 * render/player-sprite.ts).
 */
import { Graphics } from 'pixi.js';
import { el } from '../dom';
import { playerColor } from '../render/palette';

/** How long the victim's respawn moment lasts, ms (the camera glides back over its last GLIDE_MS). */
export const RESPAWN_MOMENT_MS = 1600;
const GLIDE_MS = 450;
const BURST_MS = 1100;
const RING_MS = 550;
const CONFIRM_MS = 1800;

export interface Kill {
  tick: number;
  killer: { id: number; name: string } | undefined;
  victim: { id: number; name: string };
}

interface Effect {
  kind: 'burst' | 'ring';
  x: number;
  y: number;
  color: number;
  startedAt: number;
  big: boolean;
}

interface Point {
  x: number;
  y: number;
}

export class ArenaDeaths {
  /** Kills not yet shown: the victim's own at once, the others when the view reaches them. */
  private readonly pending: Kill[] = [];
  private readonly effects: Effect[] = [];
  /** The own respawn moment under way. */
  private respawn: { startedAt: number; at: Point; banner: HTMLElement; bar: HTMLElement } | undefined;
  private confirm: { until: number; row: HTMLElement } | undefined;
  /** Respawn rings still to draw once the victim's new position is drawn: victim id → started at. */
  private readonly rings = new Map<number, number>();
  private readonly g = new Graphics();
  /** Banner lines shown so far (the browser test reads them). */
  readonly shown: string[] = [];

  constructor(
    layer: { addChild(g: Graphics): unknown },
    private readonly banner: HTMLElement,
  ) {
    layer.addChild(this.g);
  }

  get graphics(): Graphics {
    return this.g;
  }

  /** A kill the server reported (arena's `kill` event), as soon as its patch arrived. */
  add(kill: Kill): void {
    this.pending.push(kill);
  }

  /** Whether the own inputs are held neutral (the own respawn moment). */
  controlsLocked(now: number): boolean {
    return this.respawn !== undefined && now - this.respawn.startedAt < RESPAWN_MOMENT_MS;
  }

  /**
   * Once per frame. `drawnBefore` is where each player was drawn on the previous frame (the spot
   * of death, before the respawn moved them); `drawnNow` where they are drawn now. Returns the
   * point the camera should show instead of the own player, during the own respawn moment.
   */
  update(now: number, renderTick: number, me: number, drawnBefore: ReadonlyMap<number, Point>, drawnNow: ReadonlyMap<number, Point>): Point | undefined {
    for (let i = 0; i < this.pending.length; i++) {
      const k = this.pending[i]!;
      const own = k.victim.id === me;
      // The victim's own death shows at once; everyone else's when the view reaches its tick (the
      // interpolation draws the later snapshot from half-way between the two).
      if (!own && renderTick < k.tick - 0.5) continue;
      this.pending.splice(i--, 1);
      const at = drawnBefore.get(k.victim.id) ?? drawnNow.get(k.victim.id);
      const color = playerColor(k.victim.name);
      if (at) this.effects.push({ kind: 'burst', x: at.x, y: at.y, color, startedAt: now, big: own || k.killer?.id === me });
      if (own) this.startRespawn(now, at ?? { x: 0, y: 0 }, k);
      else this.rings.set(k.victim.id, now);
      if (k.killer?.id === me && !own) this.confirmKill(now, k);
    }
    // A ring where a victim (not the own player: that one rings when the moment ends) reappears.
    for (const [id, startedAt] of this.rings) {
      const p = drawnNow.get(id);
      if (p) this.effects.push({ kind: 'ring', x: p.x, y: p.y, color: 0xffffff, startedAt, big: false });
      this.rings.delete(id);
    }
    if (this.confirm && now >= this.confirm.until) {
      this.confirm.row.remove();
      this.confirm = undefined;
    }
    this.draw(now);
    return this.respawnFocus(now, drawnNow.get(me));
  }

  destroy(): void {
    this.respawn?.banner.remove();
    this.confirm?.row.remove();
    this.g.destroy();
  }

  private startRespawn(now: number, at: Point, k: Kill): void {
    this.respawn?.banner.remove();
    const bar = el('div', { class: 'respawn-bar' });
    const title = k.killer ? `${k.killer.name} eliminated you` : 'You were eliminated';
    const banner = el(
      'div',
      { class: 'banner-panel death-banner', 'data-testid': 'death-banner' },
      el('div', { class: 'banner-title' }, title),
      el('div', { class: 'banner-text' }, 'Respawning…'),
      el('div', { class: 'respawn-track' }, bar),
    );
    this.banner.prepend(banner);
    this.respawn = { startedAt: now, at: { x: at.x, y: at.y }, banner, bar };
    this.shown.push(title);
  }

  private respawnFocus(now: number, self: Point | undefined): Point | undefined {
    const r = this.respawn;
    if (!r) return undefined;
    const t = now - r.startedAt;
    r.bar.style.transform = `scaleX(${Math.min(1, t / RESPAWN_MOMENT_MS)})`;
    if (t >= RESPAWN_MOMENT_MS || !self) {
      r.banner.remove();
      this.respawn = undefined;
      if (self) this.effects.push({ kind: 'ring', x: self.x, y: self.y, color: 0xffffff, startedAt: now, big: true });
      return undefined;
    }
    const glide = Math.max(0, (t - (RESPAWN_MOMENT_MS - GLIDE_MS)) / GLIDE_MS);
    const e = glide * glide * (3 - 2 * glide); // smoothstep
    return { x: r.at.x + (self.x - r.at.x) * e, y: r.at.y + (self.y - r.at.y) * e };
  }

  private confirmKill(now: number, k: Kill): void {
    this.confirm?.row.remove();
    const text = `You eliminated ${k.victim.name}`;
    const row = el(
      'div',
      { class: 'banner-panel kill-confirm', 'data-testid': 'kill-confirm' },
      el('div', { class: 'banner-title' }, `✕ ${text}`),
      el('div', { class: 'banner-text' }, '+1 point'),
    );
    this.banner.append(row);
    this.confirm = { until: now + CONFIRM_MS, row };
    this.shown.push(text);
  }

  private draw(now: number): void {
    const g = this.g.clear();
    for (let i = this.effects.length - 1; i >= 0; i--) {
      const fx = this.effects[i]!;
      const age = now - fx.startedAt;
      const life = fx.kind === 'burst' ? BURST_MS : RING_MS;
      if (age >= life) {
        this.effects.splice(i, 1);
        continue;
      }
      const f = age / life;
      const fade = 1 - f * f; // stays bright, then goes
      if (fx.kind === 'burst') {
        const r = (fx.big ? 70 : 48) * (0.35 + 0.65 * Math.sqrt(Math.min(1, f * 2.5)));
        g.circle(fx.x, fx.y, r)
          .fill({ color: fx.color, alpha: 0.28 * fade })
          .stroke({ width: 4 * fade + 1.5, color: fx.color, alpha: fade });
        // Shards flying out, and a cross on the spot.
        for (let s = 0; s < 8; s++) {
          const a = (s / 8) * Math.PI * 2 + 0.3;
          const d0 = r * 0.55;
          const d1 = r * 1.05;
          g.moveTo(fx.x + Math.cos(a) * d0, fx.y + Math.sin(a) * d0).lineTo(fx.x + Math.cos(a) * d1, fx.y + Math.sin(a) * d1);
        }
        g.stroke({ width: 3, color: 0xffffff, alpha: 0.8 * fade, cap: 'round' });
        const c = 11;
        g.moveTo(fx.x - c, fx.y - c)
          .lineTo(fx.x + c, fx.y + c)
          .moveTo(fx.x + c, fx.y - c)
          .lineTo(fx.x - c, fx.y + c);
        g.stroke({ width: 4, color: fx.color, alpha: fade, cap: 'round' });
      } else {
        const r = 18 + (fx.big ? 46 : 34) * f;
        g.circle(fx.x, fx.y, r).stroke({ width: 3 * fade + 1, color: fx.color, alpha: 0.85 * fade });
      }
    }
  }
}
