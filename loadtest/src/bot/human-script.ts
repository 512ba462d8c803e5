/**
 * A human-like input trace (`--input human`), beside the workload's bots (issue 13): people press
 * and release keys several times a second and move the mouse all the time, where the workload's
 * bots hold one direction for 500 ms and aim only when they shoot. So that the wire's design is
 * judged on how players play, not only on the benchmark:
 * - keys: each frame, with chance KEY_CHANGES_PER_S / 30, one of W/A/S/D is pressed or released
 *   (about 4 changes a second); the direction is what the held keys add up to (opposite keys
 *   cancel; nothing held stands still);
 * - aim: the mouse turns at an angular speed that drifts a little every frame, never below
 *   MIN_TURN, so the aim changes every tick by a small amount (0.3 to 5 degrees a frame);
 * - fire: about twice a second, as the workload, along the current aim.
 * Seeded like the workload's script, so a run can be repeated.
 */
import { seededRandom, type RandomSource } from '@tickforge/shared';
import { INPUT_RATE, type WorkloadInput } from './workload-script';

export const KEY_CHANGES_PER_S = 4;
const KEY_CHANCE = KEY_CHANGES_PER_S / INPUT_RATE;
const FIRE_CHANCE = 2 / INPUT_RATE;
/** Radians a frame. */
const MIN_TURN = 0.005;
const MAX_TURN = 0.09;
const TURN_DRIFT = 0.01;
const TWO_PI = Math.PI * 2;

export class HumanScript {
  private readonly frame: WorkloadInput = { dx: 0, dy: 0, aim: 0, fire: false };
  /** Held keys: right, left, down, up. */
  private readonly keys = [false, false, false, false];
  private turn: number;
  private readonly random: RandomSource;

  constructor(seed: number, botIndex: number) {
    this.random = seededRandom((Math.imul(seed ^ 0x68756d61, 0x9e3779b1) ^ Math.imul(botIndex + 1, 0x85ebca6b)) >>> 0);
    this.frame.aim = this.random() * TWO_PI;
    this.keys[Math.floor(this.random() * 4)] = true;
    this.turn = (this.random() - 0.5) * 2 * MAX_TURN;
  }

  next(): WorkloadInput {
    const f = this.frame;
    const r = this.random;
    if (r() < KEY_CHANCE) {
      const k = Math.floor(r() * 4);
      this.keys[k] = !this.keys[k];
    }
    f.dx = (this.keys[0] ? 1 : 0) - (this.keys[1] ? 1 : 0);
    f.dy = (this.keys[2] ? 1 : 0) - (this.keys[3] ? 1 : 0);
    let turn = this.turn + (r() - 0.5) * 2 * TURN_DRIFT;
    if (turn > MAX_TURN) turn = MAX_TURN;
    else if (turn < -MAX_TURN) turn = -MAX_TURN;
    if (Math.abs(turn) < MIN_TURN) turn = turn < 0 ? -MIN_TURN : MIN_TURN;
    this.turn = turn;
    let aim = f.aim + turn;
    if (aim >= TWO_PI) aim -= TWO_PI;
    else if (aim < 0) aim += TWO_PI;
    f.aim = aim;
    f.fire = r() < FIRE_CHANCE;
    return f;
  }
}
