/**
 * A cheap, canonical hash of a replicated state, and the first field where two states differ.
 *
 * The server hashes its authoritative state every few ticks (STATE_HASH, docs/protocol.md) and the
 * recorder writes the same number into a recording; a client hashes the state it decoded, a replay
 * the state it re-simulated. So the hash must see exactly what the wire carries and nothing else:
 * it walks the schema's synced fields (its metadata: `.noSync()` fields are not there), in field
 * order, with map entries sorted by key (a client that got a map in a full state sees it in another
 * insertion order than the server), float32 fields rounded as the wire rounds them. Quantized
 * fields already hold their dequantized value on the server (schema 5 stores what the wire
 * yields), so they hash the same on both sides to the bit.
 *
 * 32-bit murmur3-style mixing: not cryptographic (a desync is an accident, not an attacker), and
 * one pass over the state with no allocation but the sorted map keys.
 *
 * Under interest (docs/game-modes.md, "Big worlds: interest") a client holds only the entries of
 * the spatial maps that are in its view, so the server hashes what that client holds: `entries`
 * names, for a collection, the entries it has (server/src/room/interest.ts).
 */
import { $values, type Schema } from '@colyseus/schema';

/**
 * For a collection of the state: the [key, value] entries to hash instead of all of them (what one
 * client's view holds of a spatial map), as a new array the hash sorts in place, or undefined to
 * hash all of them.
 */
export type HashedEntries = (collection: object) => Array<readonly [string, unknown]> | undefined;

const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixNumber(h: number, v: number): number {
  if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return mix(mix(h, 1), v);
  f64[0] = v;
  return mix(mix(mix(h, 2), words[0]!), words[1]!);
}

function mixString(h: number, s: string): number {
  h = mix(mix(h, 3), s.length);
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

type Metadata = Record<number, { name: string; type: unknown; index?: number } | undefined>;

/** A schema class's synced fields, in field order, read once from its metadata. */
interface Field {
  /** Slot in the instance's values. */
  readonly index: number;
  readonly name: string;
  readonly type: unknown;
  readonly float32: boolean;
}

/** Constructor → its fields (null: not a schema class). Metadata is a dictionary; this is an array. */
const plans = new WeakMap<object, readonly Field[] | null>();

function fieldsOf(value: object): readonly Field[] | null {
  const ctor = value.constructor;
  let plan = plans.get(ctor);
  if (plan === undefined) {
    const md = (ctor as unknown as Record<symbol, Metadata | undefined>)[Symbol.metadata];
    if (!md) plan = null;
    else {
      const fields: Field[] = [];
      for (let i = 0; md[i] !== undefined; i++) {
        const f = md[i]!;
        fields.push({ index: f.index ?? i, name: f.name, type: f.type, float32: f.type === 'float32' });
      }
      plan = fields;
    }
    plans.set(ctor, plan);
  }
  return plan;
}

/** Whether `value` is a collection (MapSchema, ArraySchema, SetSchema...) rather than a Schema. */
function isCollection(value: object): value is { forEach(fn: (v: unknown, k: unknown) => void): void; size?: number; length?: number } {
  return typeof (value as { forEach?: unknown }).forEach === 'function';
}

function mixValue(h: number, value: unknown, type: unknown, float32: boolean, only: HashedEntries | undefined): number {
  if (value === undefined || value === null) return mix(h, 0);
  switch (typeof value) {
    case 'number':
      return mixNumber(h, float32 ? Math.fround(value) : value);
    case 'string':
      return mixString(h, value);
    case 'boolean':
      return mix(mix(h, 4), value ? 1 : 0);
    case 'bigint':
      return mixString(mix(h, 5), value.toString());
    case 'object': {
      const fields = fieldsOf(value);
      if (fields) return mixSchema(h, value, fields, only);
      return isCollection(value) ? mixCollection(h, value, type, only) : h;
    }
    default:
      return h;
  }
}

function childType(type: unknown): unknown {
  if (type && typeof type === 'object') {
    const t = type as Record<string, unknown>;
    return t.map ?? t.array ?? t.set ?? t.collection;
  }
  return undefined;
}

function mixSchema(h: number, value: object, fields: readonly Field[], only: HashedEntries | undefined): number {
  h = mix(h, 6);
  // A field's getter reads its slot of the instance's values (schema 5, on both sides); reading the
  // slot by index spares the hash a keyed property read per field, which with every schema class
  // passing through here is megamorphic. With the fields as an array rather than the metadata's
  // dictionary, a 31-entity view hashed in 8 µs instead of 19 (server/bench/interest-cost.ts's room).
  const values = (value as { [$values]?: unknown[] })[$values];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    h = mixValue(mix(h, i), values ? values[f.index] : (value as Record<string, unknown>)[f.name], f.type, f.float32, only);
  }
  return h;
}

function mixCollection(h: number, value: { forEach(fn: (v: unknown, k: unknown) => void): void }, type: unknown, only: HashedEntries | undefined): number {
  const entries = only?.(value) ?? allEntries(value);
  const isMap = typeof (value as { get?: unknown }).get === 'function' && typeof (value as { push?: unknown }).push !== 'function';
  if (isMap) entries.sort(byKey);
  h = mix(mix(h, 7), entries.length);
  const child = childType(type);
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    if (isMap) h = mixString(h, k);
    h = mixValue(h, v, child, child === 'float32', only);
  }
  return h;
}

function allEntries(value: { forEach(fn: (v: unknown, k: unknown) => void): void }): Array<readonly [string, unknown]> {
  const entries: Array<readonly [string, unknown]> = [];
  value.forEach((v, k) => entries.push([String(k), v]));
  return entries;
}

// Keys as strings (a MapSchema's are; `allEntries` makes any other's one).
const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The 32-bit hash of the synced fields of `state` (unsigned); with `only`, of the state as a client
 * holding just those entries of the collections it names would decode it.
 */
export function stateHash(state: Schema, only?: HashedEntries): number {
  const fields = fieldsOf(state);
  return fields ? mixSchema(0x9747b28c, state, fields, only) >>> 0 : 0x9747b28c;
}

/**
 * The first path where two plain states (Schema `toJSON()` results) differ, with both values:
 * `players.3.x: 120 ≠ 121`; undefined when they are equal. Map keys are compared sorted.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (a === b) return undefined;
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return undefined;
    return `${path || '(root)'}: ${show(a)} ≠ ${show(b)}`;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
  for (const k of keys) {
    const d = firstDifference(ao[k], bo[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}
