/**
 * Every game mode the server offers. Registering a mode is this one line per mode:
 *
 *   export { koth } from './koth';
 *
 * Nothing else may be exported here: ./registry.ts turns each export into a mode of the server.
 */
export { arena } from './arena';
export { koth } from './koth';
export { bigworld, bigworldOpen } from './bigworld';
