/**
 * The minimap: the whole world in a corner, every player as a dot in its colour, and the part of
 * the world the camera shows as a frame — in a 2000 × 2000 world most players are off-screen.
 */
import { Container, Graphics } from 'pixi.js';
import { colors, playerColor } from './palette';

const SIZE = 150;
const MARGIN = 12;

export interface MinimapDot {
  id: number;
  /** The colour follows the name. */
  name: string;
  x: number;
  y: number;
  self: boolean;
}

export class Minimap extends Container {
  private readonly g = new Graphics();

  constructor(
    private readonly worldWidth: number,
    private readonly worldHeight: number,
  ) {
    super();
    this.addChild(this.g);
  }

  /** Redraws; `view` is the world rectangle on screen. Placed at the bottom right of `screen`. */
  draw(screen: { width: number; height: number }, dots: Iterable<MinimapDot>, view: { x: number; y: number; width: number; height: number }): void {
    const k = SIZE / Math.max(this.worldWidth, this.worldHeight);
    const w = this.worldWidth * k;
    const h = this.worldHeight * k;
    this.position.set(Math.round(screen.width - w - MARGIN), Math.round(screen.height - h - MARGIN));
    const g = this.g.clear();
    g.roundRect(-4, -4, w + 8, h + 8, 8)
      .fill({ color: 0x111824, alpha: 0.82 })
      .stroke({ width: 1, color: 0x243049 });
    g.rect(0, 0, w, h).fill(colors.floor).stroke({ width: 1.5, color: colors.border, alpha: 0.8 });
    const vx = Math.max(0, view.x * k);
    const vy = Math.max(0, view.y * k);
    const vw = Math.min(w, (view.x + view.width) * k) - vx;
    const vh = Math.min(h, (view.y + view.height) * k) - vy;
    if (vw > 0 && vh > 0) g.rect(vx, vy, vw, vh).stroke({ width: 1, color: 0xffffff, alpha: 0.35 });
    for (const d of dots) {
      g.circle(d.x * k, d.y * k, d.self ? 3.5 : 2.5).fill(playerColor(d.name));
      if (d.self) g.circle(d.x * k, d.y * k, 3.5).stroke({ width: 1.2, color: 0xffffff });
    }
  }
}
