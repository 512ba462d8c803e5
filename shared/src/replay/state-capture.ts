/**
 * The whole server-side state of a room as plain JSON, and back: synced fields (from the schema's
 * metadata) AND the `.noSync()` bookkeeping a mode keeps beside them (schema 5 stores those as own
 * properties of the instance). A recording started on a running room begins with this capture, so
 * its replay starts from exactly what the mode had; the wire's full state would lose the noSync
 * fields (arena's projectile counter, a player's last shot time) and the replay would drift.
 *
 * Collections are tagged: `{ $map: [[key, value], ...] }`, `{ $array: [...] }`.
 */
import { ArraySchema, MapSchema, type Schema } from '@colyseus/schema';

type Metadata = Record<number, { name: string; type: unknown } | undefined>;
type Ctor = new () => Schema;

const metadataOf = (ctor: unknown): Metadata | undefined => (ctor as Record<symbol, Metadata | undefined>)[Symbol.metadata];

function syncedFields(ctor: unknown): { name: string; type: unknown }[] {
  const md = metadataOf(ctor);
  const out: { name: string; type: unknown }[] = [];
  for (let i = 0; md && md[i] !== undefined; i++) out.push(md[i]!);
  return out;
}

function captureValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof MapSchema) {
    const entries: [string, unknown][] = [];
    v.forEach((child, key) => entries.push([String(key), captureValue(child)]));
    return { $map: entries };
  }
  if (v instanceof ArraySchema) return { $array: [...v].map(captureValue) };
  if (metadataOf(v.constructor)) return captureState(v as Schema);
  return JSON.parse(JSON.stringify(v)) as unknown;
}

/** Plain JSON of every field of `state`, synced or not. */
export function captureState(state: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = state as unknown as Record<string, unknown>;
  for (const f of syncedFields(state.constructor)) out[f.name] = captureValue(fields[f.name]);
  for (const key of Object.keys(state)) out[key] = captureValue(fields[key]);
  return out;
}

function childOf(type: unknown): unknown {
  if (type && typeof type === 'object') {
    const t = type as Record<string, unknown>;
    return t.map ?? t.array;
  }
  return undefined;
}

function restoreValue(type: unknown, v: unknown, current: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const tagged = v as { $map?: [string, unknown][]; $array?: unknown[] };
  if (tagged.$map) {
    const map = current instanceof MapSchema ? current : new MapSchema();
    const child = childOf(type);
    for (const [k, c] of tagged.$map) map.set(k, restoreValue(child, c, undefined));
    return map;
  }
  if (tagged.$array) {
    const arr = current instanceof ArraySchema ? current : new ArraySchema();
    const child = childOf(type);
    for (const c of tagged.$array) arr.push(restoreValue(child, c, undefined));
    return arr;
  }
  if (typeof type === 'function' && metadataOf(type)) return restoreState(type as Ctor, v as Record<string, unknown>);
  return v;
}

/** Builds a `State` instance from `captureState`'s output. */
export function restoreState<S extends Schema>(State: new () => S, json: Record<string, unknown>): S {
  const state = new State();
  const fields = state as unknown as Record<string, unknown>;
  const synced = new Map(syncedFields(State).map((f) => [f.name, f.type]));
  for (const [key, value] of Object.entries(json)) {
    const restored = restoreValue(synced.get(key), value, fields[key]);
    if (restored !== fields[key]) fields[key] = restored;
  }
  return state;
}
