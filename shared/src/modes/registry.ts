/**
 * The registered modes: every export of ./index.ts (one line per mode), checked once at
 * startup so that a wrong registration fails loudly rather than at matchmaking.
 */
import * as registered from './index';
import type { ModeDefinition } from '../mode-api/define-mode';

export const modes: readonly ModeDefinition<any, any>[] = checkModes(registered);

export function findMode(name: string): ModeDefinition<any, any> | undefined {
  return modes.find((m) => m.name === name);
}

/** The values of a registration module as modes, in name order; throws on anything else or a duplicate name. */
export function checkModes(exports: Record<string, unknown>): ModeDefinition<any, any>[] {
  const out: ModeDefinition<any, any>[] = [];
  const names = new Set<string>();
  for (const [key, value] of Object.entries(exports)) {
    const mode = value as Partial<ModeDefinition> | undefined;
    if (!mode || typeof mode !== 'object' || typeof mode.name !== 'string' || typeof mode.State !== 'function') {
      throw new Error(`shared/src/modes/index.ts exports "${key}", which is not a mode made with defineMode()`);
    }
    if (names.has(mode.name)) throw new Error(`two registered modes are named "${mode.name}"`);
    names.add(mode.name);
    out.push(mode as ModeDefinition<any, any>);
  }
  // A module namespace lists its exports sorted under native ESM but in source order under a
  // CommonJS transform (tsx scripts): sort, so every runner sees the same order.
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
