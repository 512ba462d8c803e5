/**
 * What the browser needs to know about a game mode to play it: how controls become its input, what
 * of its state to keep per patch for interpolation, how to draw it, and optionally how to predict
 * the own player and what the feed shows (from the mode's events, or between two patches). One file per mode in this
 * folder implements it; index.ts registers it. Modes without one are drawn by generic.ts.
 */
import type { Container } from 'pixi.js';
import type { BufferSample, ModeDefinition, ModeEvent, Position } from '@tickforge/shared';

/** The local controls, already turned into game terms. */
export interface Controls {
  /** -1, 0 or 1 on each axis. */
  dx: number;
  dy: number;
  /** Radians, from the own player towards the pointer. */
  aim: number;
  fire: boolean;
}

export interface FeedEntry {
  /** Tick at which it happened: shown when the interpolated view reaches it. */
  tick: number;
  /** Text and players (drawn in their colour), in order: [killer, ' eliminated ', victim]. */
  parts: Array<string | { id: number; name: string }>;
}

export interface ScoreRow {
  id: number;
  name: string;
  score: number;
}

export interface FrameContext<S, Snap> {
  /** The newest decoded state. */
  state: S;
  playerId: number;
  /** Snapshots around the render time (other entities are drawn there). */
  sample: BufferSample<Snap> | undefined;
  /** Fractional server tick of the render time. */
  renderTick: number;
  /** The own player's drawn (predicted) position, when the mode predicts. */
  self: Position | undefined;
  /** The own player's current aim. */
  aim: number;
  /** Size of the canvas in CSS px (for what a mode draws on `RendererLayers.screen`). */
  screen: { width: number; height: number };
  /** Client time (performance.now) of this frame. */
  now: number;
  tickRate: number;
}

export interface ModeRenderer<S, Snap> {
  /** Draws one frame; returns the world point the camera should centre on (the own player). */
  render(frame: FrameContext<S, Snap>): Position | undefined;
  /** Banner lines shown so far (arena: "alice eliminated you"), for the test hook. */
  moments?(): string[];
  destroy(): void;
}

export interface ModeClient<S = any, I = any, Snap = any> {
  readonly world: { width: number; height: number };
  /** What the controls do in this mode, for the hint shown on entering. */
  readonly controlsHint?: string;
  /** This frame's input from the controls. */
  input(controls: Controls): I;
  /** Snapshot kept per patch for interpolation (copy what you need: the state mutates in place). */
  capture(state: S): Snap;
  /** The own player's authoritative position; with `step` it enables prediction. */
  ownPosition?(state: S, playerId: number): Position | undefined;
  /** The mode's shared movement rule, for prediction. */
  step?(p: Position, input: I, dt: number): void;
  /** Called with each input frame sent, after it was applied to the prediction. */
  onInputSent?(input: I, predicted: Position, now: number): void;
  /** Called after each patch with the newest snapshot. */
  onPatch?(snap: Snap, playerId: number, now: number): void;
  /**
   * Feed entries for the mode's one-tick events of a patch (arena's kills), with the state of that
   * patch (for names). Prefer this to `feed`: events say exactly what the server saw happen.
   */
  feedFromEvents?(events: readonly ModeEvent[], state: S, tick: number): FeedEntry[];
  /** What happened between two consecutive snapshots (a round won...), for what is a change of state. */
  feed?(prev: Snap, next: Snap, tick: number): FeedEntry[];
  scoreboard?(state: S): ScoreRow[];
  createRenderer(layers: RendererLayers, mode: ModeDefinition): ModeRenderer<S, Snap>;
}

export interface RendererLayers {
  /** In world units, moved by the camera. */
  world: Container;
  /** In screen pixels, above the world. */
  screen: Container;
  /**
   * HTML over the top centre of the game (round timers, "eliminated by"), in a column that keeps
   * clear of the top bar, the scoreboard and the kill feed: text there sits on a panel, readable
   * over any part of the world, its border included.
   */
  banner: HTMLElement;
}

export type ModeClientFactory = (mode: ModeDefinition) => ModeClient;
