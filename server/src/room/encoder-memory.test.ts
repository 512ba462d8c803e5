/**
 * encoder-memory.ts: the encoder's per-refId bookkeeping follows the live state, not the history
 * of every instance; and what clients decode is unchanged, re-added instances included.
 */
import { Decoder, Encoder, MapSchema, schema, t, type SchemaType } from '@colyseus/schema';
import { describe, expect, it } from 'vitest';
import { boundEncoderMemory } from './encoder-memory';

const Shot = schema({ x: t.uint16(), y: t.uint16() }, 'Shot');
type Shot = SchemaType<typeof Shot>;
const World = schema({ shots: t.map(Shot) }, 'World');
type World = SchemaType<typeof World>;

/** 200 ticks of a state that spawns 25 shots a tick and removes those 4 ticks old; a client decodes each tick. */
function churn(bound: boolean) {
  const state = new World() as World & { shots: MapSchema<Shot> };
  const encoder = new Encoder(state);
  if (bound) boundEncoderMemory(encoder);
  const decoder = new Decoder(new World());
  decoder.decode(encoder.encodeAll());
  let next = 0;
  for (let tick = 0; tick < 200; tick++) {
    for (let i = 0; i < 25; i++) {
      const s = new Shot();
      s.x = next % 60000;
      s.y = tick;
      state.shots.set(String(next++), s);
    }
    for (const id of [...state.shots.keys()]) if (Number(id) < next - 100) state.shots.delete(id);
    decoder.decode(encoder.encode());
    encoder.discardChanges();
    expect((decoder.state as World).toJSON()).toEqual(state.toJSON());
  }
  const counts = (encoder.root as unknown as { refCount: object }).refCount;
  return { state, encoder, decoder, entries: Object.keys(counts).length, created: next };
}

describe('the encoder holds only the live state', () => {
  it('without the bound, one refCount entry stays for every instance ever created; with it, about the live ones', () => {
    const unbounded = churn(false);
    const bounded = churn(true);
    expect(unbounded.entries).toBeGreaterThanOrEqual(unbounded.created); // 5,000 shots created, 100 live
    expect(bounded.state.shots.size).toBe(100);
    expect(bounded.entries).toBeLessThanOrEqual(bounded.state.shots.size + 2); // + the root and the map
  });

  it('an instance removed and added back still reaches clients whole', () => {
    const { state, encoder, decoder } = churn(true);
    const kept = state.shots.get(String(4999))!;
    state.shots.delete('4999');
    decoder.decode(encoder.encode());
    encoder.discardChanges();
    expect((decoder.state as World).shots.has('4999')).toBe(false);
    state.shots.set('again', kept);
    decoder.decode(encoder.encode());
    encoder.discardChanges();
    expect((decoder.state as World).shots.get('again')?.toJSON()).toEqual({ x: 4999, y: 199 });
    expect((decoder.state as World).toJSON()).toEqual(state.toJSON());
  });
});
