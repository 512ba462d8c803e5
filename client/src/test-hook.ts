/**
 * A read-only window onto the running client for the browser tests (window.__tickforge): what is
 * drawn where, what the chat and the kill feed showed, the network figures. Cheap enough to keep in
 * production, and handy in the console.
 */
import type { ChatLine } from './hud/chat';
import type { NetFigures } from './net/game-session';
import type { MotionFigures } from './net/motion-counters';

export interface DrawnPlayer {
  id: number;
  name: string;
  x: number;
  y: number;
  self: boolean;
}

export interface TestHook {
  phase: 'lobby' | 'joining' | 'playing' | 'reconnecting' | 'disconnected';
  /** Every progress line the reconnect overlay showed, since the last drop. */
  reconnect: string[];
  mode: string;
  roomId: string;
  playerId: number;
  /** The own player's drawn position at each rendered frame (last 600): t is performance.now(). */
  frames: Array<{ t: number; x: number; y: number }>;
  /** performance.now() of the last movement key press. */
  lastMoveKeyAt: number;
  /** The death and kill banners shown so far ("alice eliminated you", "You eliminated bob"). */
  moments(): string[];
  /** The "connection interrupted" indicator's appearances (performance.now; `to` unset while shown). */
  interruptions(): Array<{ from: number; to: number | undefined }>;
  players(): DrawnPlayer[];
  chat(): ChatLine[];
  feed(): string[];
  figures(): NetFigures | undefined;
  /** Stand-still ticks and double steps per player (from the patches), freeze frames and snaps per remote player (drawn). */
  motion(): MotionFigures | undefined;
  /** Starts a new window for `motion()`. */
  resetMotion(): void;
  /** Where a world point is on the page (CSS px), to aim at it. */
  screenOf(x: number, y: number): { x: number; y: number };
}

declare global {
  interface Window {
    __tickforge: TestHook;
  }
}

export const hook: TestHook = {
  phase: 'lobby',
  reconnect: [],
  mode: '',
  roomId: '',
  playerId: 0,
  frames: [],
  lastMoveKeyAt: -Infinity,
  moments: () => [],
  interruptions: () => [],
  players: () => [],
  chat: () => [],
  feed: () => [],
  figures: () => undefined,
  motion: () => undefined,
  resetMotion: () => {},
  screenOf: (x, y) => ({ x, y }),
};

window.__tickforge = hook;

export function recordFrame(t: number, x: number, y: number): void {
  hook.frames.push({ t, x, y });
  if (hook.frames.length > 600) hook.frames.shift();
}
