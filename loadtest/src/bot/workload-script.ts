/**
 * What a bot does, by the reference workload's rules (../shared/handbook/WORKLOAD.md): 30 input
 * frames a second, a new random direction every 500 ms, a shot about twice a second at a random
 * aim. Seeded, so a run with the same seed sends the same inputs.
 */
import { seededRandom, type RandomSource } from '@tickforge/shared';

export const INPUT_RATE = 30;
/** Frames between direction changes: 500 ms at 30 frames a second. */
const FRAMES_PER_DIRECTION = 15;
/** Chance that a frame fires: two shots a second on average. */
const FIRE_CHANCE = 2 / INPUT_RATE;
const TWO_PI = Math.PI * 2;

/** The eight directions a bot walks in (never standing still, so every player moves every tick). */
const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
  [1, -1],
];

/** The input frame of the arena workload (the fields of arena's input layout). */
export interface WorkloadInput {
  dx: number;
  dy: number;
  aim: number;
  fire: boolean;
}

/** The input fields a mode must declare for the bots to play it. */
export const WORKLOAD_INPUT_FIELDS = ['dx', 'dy', 'aim', 'fire'] as const;

export class WorkloadScript {
  /** Reused frame object: the layout writes it to bytes at once, so no frame is kept. */
  private readonly frame: WorkloadInput = { dx: 0, dy: 0, aim: 0, fire: false };
  private frames = 0;
  private readonly random: RandomSource;

  constructor(seed: number, botIndex: number) {
    // Distinct, well-mixed streams per bot from one run seed.
    this.random = seededRandom((Math.imul(seed, 0x9e3779b1) ^ Math.imul(botIndex + 1, 0x85ebca6b)) >>> 0);
    this.frame.aim = this.random() * TWO_PI;
  }

  /** The next frame's input (call 30 times a second). */
  next(): WorkloadInput {
    const f = this.frame;
    if (this.frames % FRAMES_PER_DIRECTION === 0) {
      const [dx, dy] = DIRECTIONS[Math.floor(this.random() * DIRECTIONS.length)]!;
      f.dx = dx;
      f.dy = dy;
    }
    this.frames++;
    f.fire = this.random() < FIRE_CHANCE;
    if (f.fire) f.aim = this.random() * TWO_PI;
    return f;
  }
}
