/**
 * Calls every bot of a worker 30 times a second, on one timer rather than one per bot. The frame is
 * split into 8 slots and each bot sends in its own slot, so a worker's sends are spread over the
 * 33 ms like those of independent browsers, not fired in one burst. The schedule is absolute
 * (next += slot), so it does not drift; a slot missed by more than a frame is skipped and counted.
 */
import { INPUT_RATE } from './workload-script';

export const SLOTS = 8;
const SLOT_MS = 1000 / (INPUT_RATE * SLOTS);

export interface FrameTarget {
  frame(now: number): void;
  /** This target's frame was skipped because the thread was late. */
  skipped(): void;
}

export class FrameScheduler {
  private readonly slots: FrameTarget[][] = Array.from({ length: SLOTS }, () => []);
  private next = 0;
  private slot = 0;
  private timer: NodeJS.Timeout | undefined;

  add(target: FrameTarget, index: number): void {
    this.slots[index % SLOTS]!.push(target);
  }

  remove(target: FrameTarget): void {
    for (const s of this.slots) {
      const i = s.indexOf(target);
      if (i >= 0) s.splice(i, 1);
    }
  }

  start(): void {
    this.next = performance.now();
    this.run();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly run = (): void => {
    let now = performance.now();
    let behind = Math.floor((now - this.next) / SLOT_MS);
    if (behind >= SLOTS) {
      // More than a whole frame late: skip to now rather than send a burst of stale frames.
      for (let i = 0; i < behind; i++) for (const t of this.slots[(this.slot + i) % SLOTS]!) t.skipped();
      this.slot = (this.slot + behind) % SLOTS;
      this.next += behind * SLOT_MS;
      behind = 0;
    }
    for (let i = 0; i <= behind; i++) {
      const bots = this.slots[this.slot]!;
      for (let b = 0; b < bots.length; b++) bots[b]!.frame(now);
      this.slot = (this.slot + 1) % SLOTS;
      this.next += SLOT_MS;
      now = performance.now();
    }
    this.timer = setTimeout(this.run, Math.max(0, this.next - performance.now()));
  };
}
