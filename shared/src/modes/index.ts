/**
 * Every game mode the server offers. Registering a mode is one line here.
 */
import type { ModeDefinition } from '../mode/define-mode';
import { arena } from './arena';

export const modes: readonly ModeDefinition<any, any>[] = [arena];

export function findMode(name: string): ModeDefinition<any, any> | undefined {
  return modes.find((m) => m.name === name);
}
