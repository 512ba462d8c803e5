/**
 * The scales of the reference workload (../shared/handbook/WORKLOAD.md): 16 players a room, so
 * small is one room, medium 8 and large 32. Each run: 5 s warm-up, then 30 s measured. The
 * bigworld presets put 200 bots in one room of the big mode, with and without interest.
 */
export interface Preset {
  bots: number;
  mode: string;
  warmup: number;
  duration: number;
}

export const PRESETS = {
  small: { bots: 16, mode: 'arena', warmup: 5, duration: 30 },
  medium: { bots: 128, mode: 'arena', warmup: 5, duration: 30 },
  large: { bots: 512, mode: 'arena', warmup: 5, duration: 30 },
  /** Issue 16: 200 players in one bigworld room (interest on), and the same without interest. */
  bigworld: { bots: 200, mode: 'bigworld', warmup: 5, duration: 20 },
  'bigworld-open': { bots: 200, mode: 'bigworld-open', warmup: 5, duration: 20 },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
