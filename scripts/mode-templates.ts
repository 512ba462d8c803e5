/**
 * The files `npm run new-mode` writes: a mode that is playable as generated (players walk around a
 * square world) and its harness test, ready to be edited into a game. docs/game-modes.md explains
 * every part.
 */
export interface ModeNames {
  /** The mode's name, as matchmaking knows it: `capture-flag`. */
  name: string;
  /** Its export: `captureFlag`. */
  camel: string;
  /** Prefix of its classes: `CaptureFlag`. */
  pascal: string;
  /** Shown in the lobby: `Capture Flag`. */
  title: string;
}

/** Identifiers the generated index.ts imports: a mode's export must not shadow them. */
export const TEMPLATE_IDENTIFIERS = ['defineMode', 'movePlayer', 'spawnPoint', 'at', 'MAX_PLAYERS', 'TICK_RATE', 'WORLD_SIZE', 'PLAYER_SPEED', 'Point'];

export function modeFiles(n: ModeNames): Record<string, string> {
  const { name, camel, pascal, title } = n;
  return {
    'rules.ts': `/**
 * ${title}'s rules as pure functions: the server runs them authoritatively, and a client may run
 * them too (to predict its own player) with the same results.
 */
import { randomPoint, walk, type Point } from '../../mode-api/movement';

export const WORLD_SIZE = 1000;
export const TICK_RATE = 20;
export const MAX_PLAYERS = 8;
export const PLAYER_SPEED = 200; // units per second

/** Moves a player one tick of \`dt\` seconds along its input direction, clamped to the world. */
export function movePlayer<P extends Point>(p: P, dx: number, dy: number, dt: number): P {
  return walk(p, dx, dy, PLAYER_SPEED, dt, WORLD_SIZE);
}

/** A seeded random spawn point at least 50 units from the edges. */
export function spawnPoint(random: () => number, out: Point): Point {
  return randomPoint(random, WORLD_SIZE, 50, out);
}
`,
    'state.ts': `/**
 * ${title}'s replicated state. Every field costs bytes whenever it changes: prefer small types
 * (uint8, quantized coordinates), keep server-only data \`.noSync()\`, and send timers as the tick
 * at which they end rather than a countdown (docs/game-modes.md, "Designing state for the wire").
 */
import { schema, t, type SchemaType } from '@colyseus/schema';
import { coordField } from '../../mode-api/movement';
import { WORLD_SIZE } from './rules';

export const ${pascal}Player = schema(
  {
    name: t.string(),
    /** 2 bytes each. A client with no renderer for this mode draws every entry of \`players\` at x, y. */
    x: coordField(WORLD_SIZE),
    y: coordField(WORLD_SIZE),
  },
  '${pascal}Player',
);
export type ${pascal}Player = SchemaType<typeof ${pascal}Player>;

export const ${pascal}State = schema(
  {
    /** Keyed by player id (decimal string). */
    players: t.map(${pascal}Player),
  },
  '${pascal}State',
);
export type ${pascal}State = SchemaType<typeof ${pascal}State>;
`,
    'input.ts': `import { defineInput, field, type InputOf } from '../../protocol/input-layout';

/** One input frame: the engine decodes and range-checks it before the mode sees it. */
export const ${pascal}Input = defineInput({
  dx: field.int8({ min: -1, max: 1 }),
  dy: field.int8({ min: -1, max: 1 }),
});
export type ${pascal}Input = InputOf<typeof ${pascal}Input>;
`,
    'index.ts': `/**
 * ${title}: made with \`npm run new-mode\`. Players walk around; make it a game by editing the
 * state (state.ts), the input (input.ts), the rules (rules.ts) and the hooks below.
 */
import { defineMode } from '../../mode-api/define-mode';
import type { Point } from '../../mode-api/movement';
import { ${pascal}Input } from './input';
import { MAX_PLAYERS, TICK_RATE, WORLD_SIZE, movePlayer, spawnPoint } from './rules';
import { ${pascal}Player, ${pascal}State } from './state';

export * from './rules';
export * from './state';
export * from './input';

const at: Point = { x: 0, y: 0 };

export const ${camel} = defineMode({
  name: '${name}',
  title: '${title}',
  description: 'A new mode: walk around.',
  tickRate: TICK_RATE,
  maxPlayers: MAX_PLAYERS,
  world: { width: WORLD_SIZE, height: WORLD_SIZE },
  State: ${pascal}State,
  input: ${pascal}Input,

  join(state, player, ctx) {
    const p = new ${pascal}Player();
    p.name = player.name;
    spawnPoint(ctx.random, at);
    p.x = at.x;
    p.y = at.y;
    state.players.set(String(player.id), p);
  },

  leave(state, player) {
    state.players.delete(String(player.id));
  },

  tick(state, inputs, ctx) {
    for (const { player, input } of inputs) {
      const p = state.players.get(String(player.id));
      if (p) movePlayer(p, input.dx, input.dy, ctx.dt);
    }
  },
});
`,
    [`${name}.test.ts`]: `/**
 * ${title} through the headless harness: a real room on a steppable clock, fake players, and the
 * state each player's client decoded from the bytes it received. Deterministic: the seed fixes
 * every random draw.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '@tickforge/server/harness';
import { snapCoord } from '../../mode-api/movement';
import { PLAYER_SPEED, TICK_RATE, WORLD_SIZE, ${camel} } from '.';

describe('${name}', () => {
  it('seats a joining player inside the world', () => {
    const h = createHarness(${camel}, { seed: 1 });
    const alice = h.join('alice');
    h.step();
    const me = h.state.players.get(String(alice.id));
    expect(me?.name).toBe('alice');
    for (const c of [me!.x, me!.y]) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(WORLD_SIZE);
    }
  });

  it('moves a player by its input, and every client decodes the same state', () => {
    const h = createHarness(${camel}, { seed: 1 });
    const alice = h.join('alice');
    const bob = h.join('bob');
    h.step();
    const me = h.state.players.get(String(alice.id))!;
    const { x, y } = me;
    alice.input({ dx: 1, dy: 0 });
    h.step();
    expect(me.x).toBe(snapCoord(x + PLAYER_SPEED / TICK_RATE, WORLD_SIZE));
    expect(me.y).toBe(y);
    expect(alice.ack).toBe(1);
    for (const p of [alice, bob]) expect(p.mirror.toJSON()).toEqual(h.state.toJSON());
  });

  it('removes a player who leaves', () => {
    const h = createHarness(${camel}, { seed: 1 });
    const alice = h.join('alice');
    const bob = h.join('bob');
    h.step();
    alice.leave();
    h.step();
    expect([...h.state.players.keys()]).toEqual([String(bob.id)]);
    expect(bob.mirror.players.size).toBe(1);
  });

  it('replays identically from the same seed', () => {
    const run = () => {
      const h = createHarness(${camel}, { seed: 42 });
      const a = h.join('a');
      h.step();
      for (let i = 0; i < 50; i++) {
        a.input({ dx: i % 20 < 10 ? 1 : -1, dy: 1 });
        h.step();
      }
      return JSON.stringify(h.state.toJSON());
    };
    expect(run()).toBe(run());
  });
});
`,
  };
}
