/**
 * The renderer of each mode, by mode name: adding a mode's renderer is one file and one line here.
 * A mode without one is drawn by the generic renderer (any state with a `players` map of x/y).
 */
import type { ModeDefinition } from '@tickforge/shared';
import { arenaClient } from './arena';
import { genericClient } from './generic';
import type { ModeClient, ModeClientFactory } from './mode-client';

const clients: Record<string, ModeClientFactory> = {
  arena: arenaClient,
};

export function modeClientFor(mode: ModeDefinition): ModeClient {
  return (clients[mode.name] ?? genericClient)(mode);
}
