/**
 * One player as drawn: a disc in the player's colour (the own player ringed in white), an aim
 * barrel, the name above and a health bar under the name. Redrawn only when what it shows changed.
 */
import { Container, Graphics, Text } from 'pixi.js';
import { colors, playerColor } from './palette';

export interface PlayerLook {
  /** Radius of the disc, world units. */
  radius: number;
  /** Draw an aim barrel (modes without aiming leave it out). */
  barrel: boolean;
}

const DEFAULT_LOOK: PlayerLook = { radius: 16, barrel: true };
/** Frames the hit ring takes to pop out and fade (about 0.2 s at 60 fps). */
const HIT_RING_FRAMES = 12;

export class PlayerSprite extends Container {
  private readonly body = new Graphics();
  private readonly barrel = new Graphics();
  private readonly bar = new Graphics();
  /** A ring that pops out of the disc when a hit lands. */
  private readonly hitRing = new Graphics();
  private hitFrames = 0;
  private readonly nameText: Text;
  private shownHp = -1;
  /** Frames left of the flash that shows a hit. */
  private flash = 0;
  private shownName = '';

  private readonly radius: number;
  private readonly hasBarrel: boolean;

  constructor(
    readonly playerId: number,
    private readonly isSelf: boolean,
    look: PlayerLook = DEFAULT_LOOK,
  ) {
    super();
    this.radius = look.radius;
    this.hasBarrel = look.barrel;
    this.nameText = new Text({
      text: '',
      resolution: 2,
      style: {
        fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
        fontSize: 13,
        fontWeight: isSelf ? '700' : '500',
        fill: colors.text,
        stroke: { color: 0x000000, width: 3, alpha: 0.6 },
      },
    });
    this.nameText.anchor.set(0.5, 1);
    this.nameText.position.set(0, -this.radius - 12);
    this.addChild(this.barrel, this.body, this.hitRing, this.bar, this.nameText);
  }

  get displayName(): string {
    return this.shownName;
  }

  get self(): boolean {
    return this.isSelf;
  }

  update(x: number, y: number, aim: number, name: string, hp: number | undefined, maxHp = 100): void {
    this.position.set(x, y);
    this.barrel.rotation = aim;
    if (name !== this.shownName) {
      this.shownName = name;
      this.nameText.text = name;
      this.paint(playerColor(name));
    }
    if (this.flash > 0 && --this.flash === 0) this.body.tint = 0xffffff;
    if (this.hitFrames > 0) {
      const f = --this.hitFrames / HIT_RING_FRAMES;
      this.hitRing.clear();
      if (this.hitFrames > 0) this.hitRing.circle(0, 0, this.radius + 4 + (1 - f) * 14).stroke({ width: 2 + 3 * f, color: 0xffffff, alpha: 0.9 * f });
    }
    if (hp !== undefined && hp !== this.shownHp) {
      if (hp < this.shownHp) {
        this.flash = 8;
        this.body.tint = 0xff6b6b;
        this.hitFrames = HIT_RING_FRAMES;
      }
      this.shownHp = hp;
      const w = 36;
      const f = Math.max(0, Math.min(1, hp / maxHp));
      const c = f > 0.6 ? colors.hpHigh : f > 0.3 ? colors.hpMid : colors.hpLow;
      this.bar
        .clear()
        .roundRect(-w / 2 - 1, -this.radius - 10, w + 2, 6, 2)
        .fill({ color: colors.hpBack, alpha: 0.6 })
        .roundRect(-w / 2, -this.radius - 9, w * f, 4, 1.5)
        .fill(c);
    }
  }

  /** The disc and barrel in the player's colour (which follows the name). */
  private paint(color: number): void {
    const r = this.radius;
    this.barrel.clear();
    if (this.hasBarrel)
      this.barrel
        .roundRect(r - 4, -3.5, 16, 7, 3)
        .fill(color)
        .stroke({ width: 1.5, color: 0x000000, alpha: 0.35 });
    this.body.clear().circle(0, 0, r).fill(color);
    this.body.circle(0, 0, r).stroke({ width: this.isSelf ? 3 : 2, color: this.isSelf ? colors.self : 0x000000, alpha: this.isSelf ? 0.95 : 0.35 });
  }
}

/** Player sprites by id: created on first sight, removed when the player is gone. */
export class PlayerSprites {
  private readonly sprites = new Map<number, PlayerSprite>();
  private readonly seen = new Set<number>();

  constructor(
    private readonly layer: Container,
    private readonly look: PlayerLook = DEFAULT_LOOK,
  ) {}

  /** Call once per frame before `get`. */
  begin(): void {
    this.seen.clear();
  }

  get(id: number, isSelf: boolean): PlayerSprite {
    this.seen.add(id);
    let s = this.sprites.get(id);
    if (!s) {
      s = new PlayerSprite(id, isSelf, this.look);
      this.sprites.set(id, s);
      this.layer.addChild(s);
    }
    return s;
  }

  /** Removes the sprites not asked for this frame. */
  end(): void {
    for (const [id, s] of this.sprites) {
      if (this.seen.has(id)) continue;
      s.destroy({ children: true });
      this.sprites.delete(id);
    }
  }

  /** Sprites drawn this frame (for the test hook). */
  drawn(): IterableIterator<PlayerSprite> {
    return this.sprites.values();
  }

  destroy(): void {
    for (const s of this.sprites.values()) s.destroy({ children: true });
    this.sprites.clear();
  }
}
