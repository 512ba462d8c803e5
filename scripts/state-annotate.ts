/**
 * Walks state bytes with a mode's field table and explains every byte: the worked examples of
 * docs/state-format.md are produced by this, from real harness bytes, so they cannot drift from
 * what the server sends. It follows the grammar the doc states (§2–§4), nothing more, which also
 * makes it a check of that grammar: it throws on any byte the grammar does not explain.
 */
import type { StateClass, StateFieldType, StateFormat } from '@tickforge/shared';

export interface ByteRow {
  at: number;
  bytes: number[];
  note: string;
}

type Ref = { kind: 'schema'; cls: StateClass } | { kind: 'collection'; type: Extract<StateFieldType, { of: unknown }>; keys: Map<number, string> };

const OP = { ADD: 128, REPLACE: 0, DELETE: 64, DELETE_AND_ADD: 192, CLEAR: 10 } as const;
const SWITCH_TO_STRUCTURE = 255;
const TYPE_ID = 213;

/** Annotator with the refs it has learnt; feed it the WELCOME's full state, then each patch in order. */
export function stateAnnotator(format: StateFormat) {
  const classes = new Map(format.classes.map((c) => [c.name, c]));
  const refs = new Map<number, Ref>([[0, { kind: 'schema', cls: classes.get(format.root)! }]]);
  const names = new Map<number, string>([[0, 'state']]);

  return function annotate(bytes: Uint8Array, base = 0): ByteRow[] {
    const rows: ByteRow[] = [];
    let at = 0;
    let ref = refs.get(0)!;
    let refId = 0;
    const take = (n: number): number[] => {
      if (at + n > bytes.length) throw new Error(`truncated at ${at}`);
      const out = [...bytes.subarray(at, at + n)];
      at += n;
      return out;
    };
    const row = (start: number, note: string) => rows.push({ at: base + start, bytes: [...bytes.subarray(start, at)], note });
    const varint = (): number => {
      const p = take(1)[0]!;
      if (p < 0x80) return p;
      if (p === 0xcc) return take(1)[0]!;
      if (p === 0xcd) return le(take(2));
      if (p === 0xce) return le(take(4));
      throw new Error(`number prefix 0x${p.toString(16)} not expected here`);
    };
    const str = (): string => {
      const p = take(1)[0]!;
      const len = p < 0xc0 ? p & 0x1f : p === 0xd9 ? take(1)[0]! : p === 0xda ? le(take(2)) : le(take(4));
      return Buffer.from(take(len)).toString('utf8');
    };
    const primitive = (wire: string): string => {
      switch (wire) {
        case 'string':
          return JSON.stringify(str());
        case 'boolean':
          return String(take(1)[0] !== 0);
        case 'uint8':
        case 'int8':
          return String(take(1)[0]);
        case 'uint16':
          return String(le(take(2)));
        case 'uint32':
          return String(le(take(4)));
        case 'number':
          return String(varint());
        default:
          throw new Error(`wire type ${wire} not shown in the examples`);
      }
    };
    /** A value of `type` after its op; registers new refs. Returns what it means. */
    const value = (type: StateFieldType | { kind: 'child'; of: { schema: string } | { wire: string } }, op: number, path: string): string => {
      if (type.kind === 'primitive') return primitive(type.wire);
      if (type.kind === 'quantized') {
        const q = type.wire === 'uint8' ? take(1)[0]! : type.wire === 'uint16' ? le(take(2)) : le(take(4));
        const v = type.scale.min + (q / type.scale.span) * (type.scale.max - type.scale.min);
        return `q=${q} → ${round(v)}`;
      }
      const child = type.kind === 'child' ? type.of : type.kind === 'ref' ? { schema: type.schema } : undefined;
      if (child && 'wire' in child) return primitive(child.wire);
      const id = varint();
      if ((op & OP.ADD) === OP.ADD) {
        if (bytes[at] === TYPE_ID) throw new Error('TYPE_ID: no Tickforge mode uses schema inheritance');
        names.set(id, path);
        if (child) refs.set(id, { kind: 'schema', cls: classes.get(child.schema)! });
        else refs.set(id, { kind: 'collection', type: type as Extract<StateFieldType, { of: unknown }>, keys: new Map() });
      }
      return `refId ${id}`;
    };

    while (at < bytes.length) {
      const start = at;
      const first = take(1)[0]!;
      if (first === SWITCH_TO_STRUCTURE) {
        refId = varint();
        const next = refs.get(refId);
        if (!next) throw new Error(`switch to unknown refId ${refId}`);
        ref = next;
        row(start, `SWITCH_TO_STRUCTURE → refId ${refId} (${names.get(refId)})`);
        continue;
      }
      if (ref.kind === 'schema') {
        const op = first & 0xc0;
        const index = first % (op || 255);
        const field = ref.cls.fields.find((f) => f.index === index);
        if (!field) throw new Error(`${ref.cls.name} has no field ${index}`);
        const opName = op === OP.ADD ? 'ADD' : op === OP.DELETE ? 'DELETE' : op === OP.DELETE_AND_ADD ? 'DELETE_AND_ADD' : 'REPLACE';
        const opRow = `${opName} field ${index} (${field.name})`;
        if (op === OP.DELETE) {
          row(start, opRow);
          continue;
        }
        row(start, opRow);
        const vStart = at;
        const v = value(field.type, op, `${names.get(refId)}.${field.name}`);
        row(vStart, `  ${field.name} = ${v}`);
        continue;
      }
      // A collection entry: op byte, varint index, (ADD on a map) the key, then the value.
      const op = first;
      if (op === OP.CLEAR) {
        row(start, 'CLEAR');
        continue;
      }
      const index = varint();
      const opName = op === OP.ADD ? 'ADD' : op === OP.DELETE ? 'DELETE' : op === OP.DELETE_AND_ADD ? 'DELETE_AND_ADD' : op === OP.REPLACE ? 'REPLACE' : `op ${op}`;
      if (op === OP.DELETE) {
        const key = ref.keys.get(index);
        row(start, `DELETE entry ${index} ${key === undefined ? '(an index never added: ignore it, §4)' : `(key ${JSON.stringify(key)})`}`);
        ref.keys.delete(index);
        continue;
      }
      row(start, `${opName} entry index ${index}`);
      let key = ref.keys.get(index) ?? String(index);
      if ((op & OP.ADD) === OP.ADD && ref.type.kind === 'map') {
        const kStart = at;
        key = str();
        ref.keys.set(index, key);
        row(kStart, `  key ${JSON.stringify(key)}`);
      }
      const vStart = at;
      const v = value({ kind: 'child', of: ref.type.of }, op, `${names.get(refId)}[${JSON.stringify(key)}]`);
      row(vStart, `  value: ${v}${'schema' in ref.type.of ? ` (class ${ref.type.of.schema})` : ''}`);
    }
    return rows;
  };
}

function le(b: number[]): number {
  return b.reduceRight((n, x) => n * 256 + x, 0);
}

function round(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}
