/**
 * `npm run codegen`: client-side state classes in other languages from the modes' field tables.
 * schema-codegen alone emits arena's coordinates as `undefined` (it cannot evaluate coordField);
 * through our normalised source it emits the quantized fields they are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { ServerMessage } from '@tickforge/shared';
import { arena } from '@tickforge/shared/modes/arena/index';
import { generate } from '../../scripts/codegen';

const out = mkdtempSync(join(tmpdir(), 'tickforge-codegen-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run codegen', () => {
  it("emits C# classes with arena's motion-segment start sx and sy as 16-bit quantized doubles over 0..2184.5", () => {
    const files = generate('csharp', join(out, 'cs'), undefined, 'Tickforge.State');
    expect(files.map((f) => f.split('/').at(-1)).sort()).toEqual([
      'ArenaPlayer.cs',
      'ArenaState.cs',
      'BigPlayer.cs',
      'BigProjectile.cs',
      'BigWorldOpenState.cs',
      'BigWorldState.cs',
      'KothPlayer.cs',
      'KothState.cs',
      'Leader.cs',
      'Projectile.cs',
    ]);
    const player = readFileSync(join(out, 'cs', 'ArenaPlayer.cs'), 'utf8');
    expect(player).not.toMatch(/undefined/);
    for (const [i, name] of [
      [1, 'sx'],
      [2, 'sy'],
    ] as const) {
      const attribute = `[global::Colyseus.Schema.Type(${i}, "quantized", QuantizeMin = 0, QuantizeMax = 2184.5, QuantizeBits = 16, QuantizeWrap = false)]`;
      expect(player.replace(/\s+/g, ' ')).toContain(`${attribute} public double ${name} = default(double);`);
    }
    expect(player).toContain('Type(5, "quantized", QuantizeMin = 0, QuantizeMax = 6.283185307179586, QuantizeBits = 8, QuantizeWrap = true)');
    expect(readFileSync(join(out, 'cs', 'ArenaState.cs'), 'utf8')).toContain('public global::Colyseus.Schema.MapSchema<ArenaPlayer> players');
  });

  it('emits TypeScript classes with the same wire types', () => {
    generate('ts', join(out, 'ts'), 'arena');
    const projectile = readFileSync(join(out, 'ts', 'Projectile.ts'), 'utf8');
    expect(projectile).toContain('@type({ quantized: { min: 0, max: 2184.5, bits: 16 } }) public x!: number;');
    expect(projectile).toContain('@type({ quantized: { min: 0, max: 6.283185307179586, bits: 16, mode: "wrap" } }) public angle!: number;');
  });

  const python = spawnSync('/usr/bin/python3', ['-c', 'import sys; assert sys.version_info >= (3, 11)']).status === 0;
  it.skipIf(!python)('emits Python dataclasses whose table decodes a real welcome to the server values', () => {
    const [file] = generate('python', join(out, 'py'), 'arena');
    const h = createHarness(arena, { seed: 3 });
    const alice = h.join('alice');
    h.step();
    const welcome = alice.received.find((m) => m.type === ServerMessage.WELCOME)!;
    const me = h.state.players.get(String(alice.id))!;
    const script = [
      'import sys, json',
      `sys.path[:0] = [${JSON.stringify(join(out, 'py'))}, ${JSON.stringify(join(process.cwd(), 'sdk/python'))}]`,
      'from arena_state import STATE_FORMAT, ArenaState',
      'from tickforge.state import StateDecoder',
      'd = StateDecoder(STATE_FORMAT)',
      `d.decode_full(bytes.fromhex(${JSON.stringify(Buffer.from(welcome.type === ServerMessage.WELCOME ? welcome.state : []).toString('hex'))}))`,
      'p = ArenaState.from_state(d.state).players[sys.argv[1]]',
      // A player just seated stands: its motion segment starts where it is (arena sends no x, y).
      'print(json.dumps([p.name, p.sx, p.sy, p.hp]))',
    ].join('\n');
    const run = spawnSync('/usr/bin/python3', ['-c', script, String(alice.id)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['alice', me.x, me.y, 100]);
    expect(file).toMatch(/arena_state\.py$/);
    h.dispose();
  });
});
