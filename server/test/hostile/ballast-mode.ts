/**
 * A test mode whose state carries a 32 KiB string that changes every tick, so every patch is about
 * 32 KiB: enough to fill the kernel's socket buffers (several MB on loopback) in seconds and show
 * what the server does for a client that stops reading. The rules are trivial on purpose.
 */
import { Encoder, schema, t, type SchemaType } from '@colyseus/schema';
import { defineInput, defineMode, field } from '@tickforge/shared';

export const BALLAST_CHARS = 32 * 1024;

// The encoder starts at 8 KiB and warns each time it has to grow; start it big enough.
Encoder.BUFFER_SIZE = Math.max(Encoder.BUFFER_SIZE, 64 * 1024);

const BallastPlayer = schema({ name: t.string(), score: t.uint16() }, 'BallastPlayer');

export const BallastState = schema(
  {
    tick: t.uint32(),
    /** Changes every tick: the bulk of each patch. */
    blob: t.string(),
    players: t.map(BallastPlayer),
  },
  'BallastState',
);
export type BallastState = SchemaType<typeof BallastState>;

// Printable ASCII from a fixed linear congruential sequence: 1 B per char, the same every run.
const source = (() => {
  let x = 12345;
  let s = '';
  for (let i = 0; i < BALLAST_CHARS + 1024; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += String.fromCharCode(33 + ((x >>> 16) % 90));
  }
  return s;
})();

export const ballast = defineMode({
  name: 'ballast',
  title: 'Ballast (test)',
  tickRate: 30,
  maxPlayers: 16,
  State: BallastState,
  input: defineInput({ n: field.uint8() }),
  join(state, player) {
    const p = new BallastPlayer();
    p.name = player.name;
    state.players.set(String(player.id), p);
  },
  leave(state, player) {
    state.players.delete(String(player.id));
  },
  tick(state, _inputs, ctx) {
    state.tick = ctx.tick;
    const at = ctx.tick % 1024;
    state.blob = source.slice(at, at + BALLAST_CHARS);
  },
});
