/**
 * The renderer of each mode, by mode name: adding a mode's renderer is one file and one line here.
 * A mode without one is drawn by the generic renderer (any state with a `players` map of x/y).
 */
import type { ModeDefinition } from '@tickforge/shared';
import { arenaClient } from './arena';
import { bigworldClient } from './bigworld';
import { genericClient } from './generic';
import { kothClient } from './koth';
import type { ModeClient, ModeClientFactory } from './mode-client';

const clients: Record<string, ModeClientFactory> = {
  arena: arenaClient,
  koth: kothClient,
  bigworld: bigworldClient,
  'bigworld-open': bigworldClient,
};

/** The mode's own renderer, or the generic one (always, with `generic`: ?draw=generic). */
export function modeClientFor(mode: ModeDefinition, generic = false): ModeClient {
  return ((generic ? undefined : clients[mode.name]) ?? genericClient)(mode);
}
