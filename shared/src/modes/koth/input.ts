import { defineInput, field, type InputOf } from '../../protocol/input-layout';

/** One input frame of king of the hill: 3 bytes on the wire after the message header. */
export const KothInput = defineInput({
  dx: field.int8({ min: -1, max: 1 }),
  dy: field.int8({ min: -1, max: 1 }),
  /** Shove every player within PUSH_RADIUS away (ignored while on cooldown or between rounds). */
  push: field.bool(),
});
export type KothInput = InputOf<typeof KothInput>;
