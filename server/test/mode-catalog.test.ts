/**
 * GET /api/modes says what a client needs to play a mode without its TypeScript: the tick rate the
 * rooms run, the world, the input layout with its ranges, the state's field table (the data of
 * docs/state-format.md) and the mode's rule constants.
 */
import { describe, expect, it } from 'vitest';
import { describeState, modes, type ModeInfo } from '@tickforge/shared';
import { RULES } from '@tickforge/shared/modes/arena/rules';
import { buildApp, loadConfig } from '@tickforge/server';

async function catalog(config: Record<string, unknown> = {}): Promise<ModeInfo[]> {
  const app = await buildApp({ config: loadConfig({}, { logLevel: 'silent', ...config }) });
  try {
    return (await app.inject({ method: 'GET', url: '/api/modes' })).json();
  } finally {
    await app.close();
  }
}

describe('GET /api/modes', () => {
  it("gives arena's world, tick rate, input layout, field table and rules", async () => {
    const arena = (await catalog()).find((m) => m.name === 'arena')!;
    expect(arena).toMatchObject({ maxPlayers: 16, tickRate: 30, world: { width: 2000, height: 2000 } });
    expect(arena.input).toEqual({
      bytes: 7,
      fields: [
        { name: 'dx', kind: 'int8', bytes: 1, min: -1, max: 1 },
        { name: 'dy', kind: 'int8', bytes: 1, min: -1, max: 1 },
        { name: 'aim', kind: 'float32', bytes: 4, min: -1000, max: 1000 },
        { name: 'fire', kind: 'bool', bytes: 1 },
      ],
    });
    expect(arena.rules).toEqual({ ...RULES });
    expect(arena.rules).toMatchObject({ playerSpeed: 200, fireCooldownMs: 250, hitDamage: 10, projectileSpeed: 600, projectileLifetimeTicks: 30, hitRadius: 16 });
  });

  it('serves every mode the field table the state format doc is generated from', async () => {
    const list = await catalog();
    expect(list.map((m) => m.name)).toEqual(modes.map((m) => m.name));
    for (const m of modes) expect(list.find((x) => x.name === m.name)!.state).toEqual(describeState(m.State));
  });

  it('gives the tick rate the rooms run when TICK_RATE overrides the modes', async () => {
    expect((await catalog({ tickRateOverride: 60 })).every((m) => m.tickRate === 60)).toBe(true);
  });
});
