/**
 * A mode's input, declared as an ordered list of fixed-size fields. The engine derives the wire
 * encoding (client side) and the decoding with validation (server side) from the declaration, so a
 * mode never parses bytes and never sees a value outside the ranges it declared.
 *
 *   const ArenaInput = defineInput({
 *     dx: field.int8({ min: -1, max: 1 }),
 *     dy: field.int8({ min: -1, max: 1 }),
 *     aim: field.float32({ min: -1e6, max: 1e6 }),
 *     fire: field.bool(),
 *   });
 */
import type { ByteReader, ByteWriter } from './bytes';

interface FieldBase<T> {
  readonly kind: string;
  readonly bytes: number;
  /** The accepted range (absent for bool). */
  readonly min?: number;
  readonly max?: number;
  /** Reads one value; returns an error text when the value is out of its declared range. */
  read(r: ByteReader): T | InvalidValue;
  write(w: ByteWriter, v: T): void;
  readonly zero: T;
}
export type InputField<T> = FieldBase<T>;

/** Returned by a field reader for a value outside its declared range. */
export class InvalidValue {
  constructor(readonly reason: string) {}
}

function intField(kind: 'int8' | 'uint8' | 'uint16', min: number, max: number): InputField<number> {
  const bytes = kind === 'uint16' ? 2 : 1;
  return {
    kind,
    bytes,
    min,
    max,
    zero: Math.max(min, Math.min(max, 0)),
    read(r) {
      const v = kind === 'int8' ? r.i8() : kind === 'uint8' ? r.u8() : r.u16();
      return v < min || v > max ? new InvalidValue(`${v} is outside ${min}..${max}`) : v;
    },
    write(w, v) {
      if (kind === 'int8') w.i8(v);
      else if (kind === 'uint8') w.u8(v);
      else w.u16(v);
    },
  };
}

export const field = {
  int8: (o: { min?: number; max?: number } = {}) => intField('int8', o.min ?? -128, o.max ?? 127),
  uint8: (o: { min?: number; max?: number } = {}) => intField('uint8', o.min ?? 0, o.max ?? 255),
  uint16: (o: { min?: number; max?: number } = {}) => intField('uint16', o.min ?? 0, o.max ?? 65535),
  /** A float32 that must be finite (no NaN, no infinities) and within [min, max]. */
  float32: (o: { min: number; max: number }): InputField<number> => ({
    kind: 'float32',
    bytes: 4,
    min: o.min,
    max: o.max,
    zero: Math.max(o.min, Math.min(o.max, 0)),
    read(r) {
      const v = r.f32();
      if (!Number.isFinite(v)) return new InvalidValue(`${v} is not a finite number`);
      return v < o.min || v > o.max ? new InvalidValue(`${v} is outside ${o.min}..${o.max}`) : v;
    },
    write(w, v) {
      w.f32(v);
    },
  }),
  /** One byte that must be 0 or 1. */
  bool: (): InputField<boolean> => ({
    kind: 'bool',
    bytes: 1,
    zero: false,
    read(r) {
      const v = r.u8();
      return v > 1 ? new InvalidValue(`${v} is not a boolean (0 or 1)`) : v === 1;
    },
    write(w, v) {
      w.u8(v ? 1 : 0);
    },
  }),
};

type FieldsOf<T> = { [K in keyof T]: InputField<T[K]> };

export interface InputLayout<T> {
  /** Fields in wire order. */
  readonly fields: ReadonlyArray<readonly [keyof T & string, InputField<unknown>]>;
  /** Encoded size in bytes (every field is fixed-size). */
  readonly bytes: number;
  /** An input with every field at its zero (or nearest in-range) value. */
  neutral(): T;
  write(w: ByteWriter, input: T): void;
  /** Reads and validates one input; an error names the field and why. */
  read(r: ByteReader): { ok: true; value: T } | { ok: false; error: string };
}

export type InputOf<L> = L extends InputLayout<infer T> ? T : never;

export function defineInput<T extends Record<string, unknown>>(fields: FieldsOf<T>): InputLayout<T> {
  const entries = Object.entries(fields) as Array<[keyof T & string, InputField<unknown>]>;
  const bytes = entries.reduce((n, [, f]) => n + f.bytes, 0);
  return {
    fields: entries,
    bytes,
    neutral() {
      const out = {} as Record<string, unknown>;
      for (const [name, f] of entries) out[name] = f.zero;
      return out as T;
    },
    write(w, input) {
      for (const [name, f] of entries) f.write(w, input[name]);
    },
    read(r) {
      const out = {} as Record<string, unknown>;
      for (const [name, f] of entries) {
        const v = f.read(r);
        if (r.truncated) return { ok: false, error: `input truncated at field "${name}"` };
        if (v instanceof InvalidValue) return { ok: false, error: `input field "${name}": ${v.reason}` };
        out[name] = v;
      }
      return { ok: true, value: out as T };
    },
  };
}
