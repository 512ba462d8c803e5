/**
 * A mode's state as a field table: for every schema class reachable from the mode's `State`, each
 * synced field's wire index, wire type and scale. It is read from the classes' own schema metadata
 * (the very table the encoder writes by), so it cannot disagree with the bytes. One table feeds
 * `docs/state-format.md` (generated), `GET /api/modes`, the codegen and the Python SDK's decoder.
 */
import type { Schema } from '@colyseus/schema';

/** Primitive wire types of @colyseus/schema 5 (docs/state-format.md §3 gives each one's bytes). */
export type PrimitiveWireType =
  'string' | 'number' | 'boolean' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64' | 'bigint64' | 'biguint64';

/**
 * A quantized float (`t.quantized`, `t.angle`, and our `coordField`): the wire carries the integer
 * q in `wire`; the value is `min + (q / span) * (max - min)`. `step` is one q in value units.
 */
export interface QuantizedScale {
  min: number;
  max: number;
  bits: 8 | 16 | 32;
  /** Cyclic (an angle): q wraps modulo 2^bits. Clamped otherwise. */
  wrap: boolean;
  span: number;
  step: number;
}

export type StateFieldType =
  | { kind: 'primitive'; wire: PrimitiveWireType }
  | { kind: 'quantized'; wire: 'uint8' | 'uint16' | 'uint32'; scale: QuantizedScale }
  /** A child schema instance, by class name (sent as a refId). */
  | { kind: 'ref'; schema: string }
  /** A collection (map, array, set, collection) of a class or of a primitive wire type. */
  | { kind: 'map' | 'array' | 'set' | 'collection'; of: { schema: string } | { wire: PrimitiveWireType } };

export interface StateField {
  index: number;
  name: string;
  type: StateFieldType;
}

export interface StateClass {
  name: string;
  fields: StateField[];
}

export interface StateFormat {
  /** Class name of the root state (refId 0). */
  root: string;
  /** Every class reachable from the root, the root first, then in order of first reference. */
  classes: StateClass[];
}

type SchemaClass = (new () => Schema) & { name: string };
type MetadataField = { index: number; name: string; type: unknown; deprecated?: boolean };

const COLLECTIONS = ['map', 'array', 'set', 'collection'] as const;

/** The field table of `State` and every class it reaches. */
export function describeState(State: new () => Schema): StateFormat {
  const classes: StateClass[] = [];
  const seen = new Map<SchemaClass, string>();
  const visit = (C: SchemaClass): string => {
    const known = seen.get(C);
    if (known) return known;
    seen.set(C, C.name);
    const entry: StateClass = { name: C.name, fields: [] };
    classes.push(entry);
    const metadata = (C as unknown as Record<symbol, Record<string, MetadataField>>)[Symbol.metadata] ?? {};
    const fields = Object.keys(metadata)
      .filter((k) => /^\d+$/.test(k))
      .map((k) => metadata[k]!)
      .sort((a, b) => a.index - b.index);
    for (const f of fields) entry.fields.push({ index: f.index, name: f.name, type: fieldType(f.type, visit, `${C.name}.${f.name}`) });
    return C.name;
  };
  const root = visit(State as SchemaClass);
  return { root, classes };
}

function fieldType(type: unknown, visit: (C: SchemaClass) => string, where: string): StateFieldType {
  if (typeof type === 'string') return { kind: 'primitive', wire: type as PrimitiveWireType };
  if (typeof type === 'function') return { kind: 'ref', schema: visit(type as SchemaClass) };
  if (type && typeof type === 'object') {
    const q = (type as { quantized?: Omit<QuantizedScale, 'step'> & { wire: 'uint8' | 'uint16' | 'uint32' } }).quantized;
    if (q) {
      const scale = { min: q.min, max: q.max, bits: q.bits, wrap: q.wrap, span: q.span, step: (q.max - q.min) / q.span };
      return { kind: 'quantized', wire: q.wire, scale };
    }
    for (const kind of COLLECTIONS) {
      const child = (type as Record<string, unknown>)[kind];
      if (child === undefined) continue;
      const of = typeof child === 'function' ? { schema: visit(child as SchemaClass) } : { wire: child as PrimitiveWireType };
      return { kind, of };
    }
  }
  throw new Error(`${where}: a field type the state format does not describe (${JSON.stringify(type)})`);
}

/** A field's type in one short phrase, as the docs and generated code comments show it. */
export function typeLabel(t: StateFieldType): string {
  switch (t.kind) {
    case 'primitive':
      return t.wire;
    case 'quantized':
      return `quantized ${t.wire}`;
    case 'ref':
      return `ref ${t.schema}`;
    default:
      return `${t.kind} of ${'schema' in t.of ? t.of.schema : t.of.wire}`;
  }
}
