/**
 * The state hash sees what the wire carries: a client's decoded mirror hashes like the server's
 * state (noSync fields ignored, map insertion order ignored, float32 rounded as the wire rounds),
 * and any synced change changes it. firstDifference names the path of the first differing field.
 */
import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, schema, t } from '@colyseus/schema';
import { firstDifference, stateHash } from './state-hash';

const Item = schema({ name: t.string(), v: t.float32(), q: t.quantized({ min: 0, max: 100, bits: 16 }), secret: t.number().noSync() }, 'HashItem');
const State = schema({ items: t.map(Item), n: t.uint16() }, 'HashState');

function item(name: string, v: number, q: number, secret = 0) {
  const i = new Item();
  i.name = name;
  i.v = v;
  i.q = q;
  i.secret = secret;
  return i;
}

describe('stateHash', () => {
  it('a decoded mirror hashes like the server state', () => {
    const server = new State();
    server.items.set('b', item('bee', 0.1, 33.3, 7));
    server.items.set('a', item('ant', 1 / 3, 12.345));
    server.n = 5;
    const mirror = new State();
    new Decoder(mirror).decode(new Encoder(server).encodeAll());
    expect(stateHash(mirror)).toBe(stateHash(server));
  });

  it('ignores noSync fields and map insertion order; sees every synced change', () => {
    const a = new State();
    a.items.set('x', item('x', 1, 1, 1));
    a.items.set('y', item('y', 2, 2));
    const b = new State();
    b.items.set('y', item('y', 2, 2));
    b.items.set('x', item('x', 1, 1, 999));
    expect(stateHash(a)).toBe(stateHash(b));
    b.items.get('x')!.q = 50;
    expect(stateHash(a)).not.toBe(stateHash(b));
    expect(firstDifference(a.toJSON(), b.toJSON())).toMatch(/^items\.x\.q: [\d.]+ ≠ 50/);
  });

  it('firstDifference says which side lacks an entry', () => {
    expect(firstDifference({ p: { 1: { x: 1 } } }, { p: {} })).toBe('p.1: {"x":1} ≠ absent');
    expect(firstDifference({ a: 1 }, { a: 1 })).toBeUndefined();
  });
});
