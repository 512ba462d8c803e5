/**
 * The Pixi stage: a full-window canvas that resizes with the window, a camera that follows a point
 * of the world, the world's floor with a grid and a clearly drawn border, and a layer the mode
 * renderer draws its entities on.
 */
import { Application, Container, Graphics } from 'pixi.js';
import { colors } from './palette';
import { isSoftwareWebGL } from './software-webgl';

export type RendererChoice = 'auto' | 'webgl' | 'canvas';

/** Roughly how many world units fit across the shorter side of the window. */
const VIEW_UNITS = 900;

export class Scene {
  readonly world = new Container();
  /** Mode renderers draw here, in world units. */
  readonly layer = new Container();
  /** Screen-space overlay (minimap). */
  readonly hud = new Container();
  private readonly floor = new Graphics();
  private cameraX = 0;
  private cameraY = 0;

  private constructor(readonly app: Application) {
    this.world.addChild(this.floor, this.layer);
    app.stage.addChild(this.world, this.hud);
  }

  /**
   * @param renderer 'auto' takes WebGL on a GPU and the 2D canvas otherwise: WebGL emulated in
   * software (a machine without a GPU) ran at about 13 frames a second here where the canvas ran at
   * 60, and a busy main thread delays every network message too.
   */
  static async create(host: HTMLElement, renderer: RendererChoice = 'auto'): Promise<Scene> {
    const app = new Application();
    await app.init({
      resizeTo: window,
      background: colors.background,
      antialias: true,
      autoDensity: true,
      resolution: Math.min(2, window.devicePixelRatio || 1),
      preference: renderer === 'auto' ? (isSoftwareWebGL() ? 'canvas' : ['webgl', 'canvas']) : renderer,
    });
    app.canvas.classList.add('game-canvas');
    host.appendChild(app.canvas);
    return new Scene(app);
  }

  get zoom(): number {
    const { width, height } = this.app.screen;
    return Math.max(0.5, Math.min(1.6, Math.min(width, height) / VIEW_UNITS));
  }

  /** Draws the floor of a world of `width` × `height` units. */
  setWorld(width: number, height: number): void {
    const g = this.floor.clear();
    g.rect(0, 0, width, height).fill(colors.floor);
    for (let x = 100; x < width; x += 100) g.moveTo(x, 0).lineTo(x, height);
    for (let y = 100; y < height; y += 100) g.moveTo(0, y).lineTo(width, y);
    g.stroke({ width: 1, color: colors.gridMinor });
    for (let x = 500; x < width; x += 500) g.moveTo(x, 0).lineTo(x, height);
    for (let y = 500; y < height; y += 500) g.moveTo(0, y).lineTo(width, y);
    g.stroke({ width: 2, color: colors.gridMajor });
    g.rect(-3, -3, width + 6, height + 6).stroke({ width: 6, color: colors.border, alpha: 0.9 });
    g.rect(-12, -12, width + 24, height + 24).stroke({ width: 10, color: colors.border, alpha: 0.12 });
  }

  /** Centres the view on a world point. */
  follow(x: number, y: number): void {
    this.cameraX = x;
    this.cameraY = y;
    const z = this.zoom;
    const { width, height } = this.app.screen;
    this.world.scale.set(z);
    this.world.position.set(Math.round(width / 2 - x * z), Math.round(height / 2 - y * z));
  }

  /** The world rectangle the camera shows. */
  view(): { x: number; y: number; width: number; height: number } {
    const z = this.zoom;
    const { width, height } = this.app.screen;
    return { x: this.cameraX - width / 2 / z, y: this.cameraY - height / 2 / z, width: width / z, height: height / z };
  }

  /** A world point in canvas CSS px. */
  toScreen(x: number, y: number): { x: number; y: number } {
    const z = this.zoom;
    const { width, height } = this.app.screen;
    return { x: width / 2 + (x - this.cameraX) * z, y: height / 2 + (y - this.cameraY) * z };
  }

  /** A point of the canvas (CSS px) in world units. */
  toWorld(px: number, py: number): { x: number; y: number } {
    const z = this.zoom;
    const { width, height } = this.app.screen;
    return { x: this.cameraX + (px - width / 2) / z, y: this.cameraY + (py - height / 2) / z };
  }

  destroy(): void {
    this.app.destroy({ removeView: true }, { children: true });
  }
}
