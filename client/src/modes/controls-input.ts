/**
 * Builds a mode's input from the controls by field name: dx/dy, aim (or angle), fire (or shoot,
 * action, push); every other field keeps its neutral value. Arena's input is exactly these four fields,
 * and a freshly scaffolded mode that moves with dx/dy is playable without a line of client code.
 */
import { ByteReader, ByteWriter, type InputLayout } from '@tickforge/shared';
import type { Controls } from './mode-client';

const ALIASES: Record<string, keyof Controls> = {
  dx: 'dx',
  dy: 'dy',
  aim: 'aim',
  angle: 'aim',
  fire: 'fire',
  shoot: 'fire',
  action: 'fire',
  push: 'fire',
};

export function inputFromControls<I>(layout: InputLayout<I>, c: Controls): I {
  const out = layout.neutral() as Record<string, unknown>;
  for (const [name, field] of layout.fields) {
    const from = ALIASES[name];
    if (!from) continue;
    const v = c[from];
    if (field.kind === 'bool') out[name] = Boolean(v);
    else if (typeof v === 'number') out[name] = from === 'aim' ? wrapAngle(v) : v;
  }
  return accepted(layout, out as I) ? (out as I) : withinRanges(layout, out as I);
}

/** Whether the server would accept `input` (a mode may declare ranges the controls do not fit). */
function accepted<I>(layout: InputLayout<I>, input: I): boolean {
  const w = new ByteWriter(new Uint8Array(layout.bytes));
  layout.write(w, input);
  return layout.read(new ByteReader(w.finish())).ok;
}

/** Falls back to the neutral value field by field wherever a control value is out of range. */
function withinRanges<I>(layout: InputLayout<I>, input: I): I {
  const out = layout.neutral() as Record<string, unknown>;
  for (const [name] of layout.fields) {
    const trial = { ...out, [name]: (input as Record<string, unknown>)[name] } as I;
    if (accepted(layout, trial)) out[name] = trial[name as keyof I];
  }
  return out as I;
}

/** An angle in (-π, π], so any float32 aim range a mode declares accepts it. */
function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}
