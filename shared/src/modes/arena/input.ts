import { defineInput, field, type InputOf } from '../../protocol/input-layout';

/** One input frame of arena: 7 bytes on the wire after the message header. */
export const ArenaInput = defineInput({
  dx: field.int8({ min: -1, max: 1 }),
  dy: field.int8({ min: -1, max: 1 }),
  /** Aim in radians; any finite angle is accepted and wrapped, absurd magnitudes are refused. */
  aim: field.float32({ min: -1000, max: 1000 }),
  fire: field.bool(),
});
export type ArenaInput = InputOf<typeof ArenaInput>;
