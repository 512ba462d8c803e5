/**
 * A mode's one-tick events (Quake III's EV_OBITUARY temp entities), declared as named types of
 * fixed-size fields made with the same `field` kinds as an input. The engine derives the wire
 * encoding from the declaration: one byte for the type (its index in declaration order), then its
 * fields in order. Events ride in the tick's shared patch (docs/protocol.md, "Events").
 *
 *   const ArenaEvents = defineEvents({
 *     kill: { killer: field.uint16(), victim: field.uint16() },
 *   });
 *   // ctx.emit({ type: 'kill', killer: 3, victim: 7 })
 */
import { ByteReader, type ByteWriter } from './bytes';
import { InvalidValue, type InputField } from './input-layout';

/** What every event is: its declared type name, then its fields. */
export interface ModeEvent {
  readonly type: string;
}

type Declaration = Record<string, Record<string, InputField<any>>>;

/** The event union of a declaration: `{ type: 'kill'; killer: number; victim: number } | ...`. */
export type EventsOf<D extends Declaration> = {
  [K in keyof D & string]: { readonly type: K } & { readonly [F in keyof D[K]]: D[K][F] extends InputField<infer T> ? T : never };
}[keyof D & string];

export interface EventLayout<E extends ModeEvent> {
  /** Type names in wire order: the type byte is the index. */
  readonly types: readonly string[];
  /** Encoded size of one event of each type, its type byte included. */
  readonly bytes: Readonly<Record<string, number>>;
  /** Each type's fields in wire order (GET /api/modes publishes them for clients in other languages). */
  readonly fields: Readonly<Record<string, ReadonlyArray<readonly [string, InputField<unknown>]>>>;
  /**
   * Appends one event. Throws on an undeclared type or a value outside its field's range (a mode
   * bug: it stops the room, like any exception in a rule hook).
   */
  write(w: ByteWriter, event: E): void;
  /** Reads one event; throws on an unknown type or a truncated event (a server bug). */
  read(r: ByteReader): E;
}

export type EventOf<L> = L extends EventLayout<infer E> ? E : never;

const MAX_TYPES = 256;

export function defineEvents<D extends Declaration>(declaration: D): EventLayout<EventsOf<D>> {
  const types = Object.keys(declaration);
  if (types.length === 0 || types.length > MAX_TYPES) throw new Error(`events: declare 1 to ${MAX_TYPES} event types`);
  const kinds = types.map((type) => {
    const fields = Object.entries(declaration[type]!);
    for (const [name, f] of fields) {
      if (name === 'type') throw new Error(`event "${type}": a field may not be named "type" (it names the event)`);
      if (!f || typeof f.read !== 'function' || typeof f.write !== 'function') throw new Error(`event "${type}" field "${name}" must be made with field.*()`);
    }
    return { type, fields, bytes: 1 + fields.reduce((n, [, f]) => n + f.bytes, 0) };
  });
  const index = new Map(kinds.map((k, i) => [k.type, i]));
  const check = new Uint8Array(Math.max(...kinds.map((k) => k.bytes)));
  return {
    types,
    bytes: Object.fromEntries(kinds.map((k) => [k.type, k.bytes])),
    fields: Object.fromEntries(kinds.map((k) => [k.type, k.fields])),
    write(w, event) {
      const i = index.get(event?.type);
      if (i === undefined) throw new Error(`emitted an undeclared event type "${String(event?.type)}" (declared: ${types.join(', ')})`);
      const kind = kinds[i]!;
      const at = w.offset;
      w.u8(i);
      const values = event as unknown as Record<string, unknown>;
      for (const [name, f] of kind.fields) f.write(w, values[name]);
      // Read the bytes back through the fields' validation, so a value the wire cannot carry
      // (out of range, wrapped, NaN) fails here, in the mode's tick, and not on every client.
      check.set(w.bytes.subarray(at + 1, at + kind.bytes));
      const r = new ByteReader(check);
      for (const [name, f] of kind.fields) {
        const v = f.read(r);
        // float32 rounds: only integers and booleans must come back exactly.
        if (v instanceof InvalidValue || (f.kind !== 'float32' && v !== values[name])) {
          throw new Error(`event "${kind.type}" field "${name}": ${v instanceof InvalidValue ? v.reason : `${String(values[name])} does not fit a ${f.kind}`}`);
        }
      }
    },
    read(r) {
      const i = r.u8();
      const kind = kinds[i];
      if (!kind) throw new Error(`unknown event type ${i}`);
      const out: Record<string, unknown> = { type: kind.type };
      for (const [name, f] of kind.fields) {
        const v = f.read(r);
        if (v instanceof InvalidValue) throw new Error(`event "${kind.type}" field "${name}": ${v.reason}`);
        out[name] = v;
      }
      if (r.truncated) throw new Error(`truncated event "${kind.type}"`);
      return out as unknown as EventsOf<D>;
    },
  };
}
