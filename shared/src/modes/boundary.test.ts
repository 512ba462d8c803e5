/**
 * The mode boundary of docs/game-modes.md, as the linter enforces it (eslint.config.js): each
 * forbidden thing, written in a file placed as if in a mode's folder, is reported with a message
 * that says why; the same code outside a mode, or in a mode's test, is not; every file of the
 * tree's modes is under the rules; and a clean mode (the scaffold's output, the walkthrough's)
 * lints with no message at all. So the guard cannot rot into
 * a rule that matches nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { modeFiles } from '../../../scripts/mode-templates';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const IN_MODE = 'shared/src/modes/zz-lint-fixture/rules.ts';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

async function lint(code: string, filePath = IN_MODE): Promise<Array<{ rule: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

const FORBIDDEN: Array<[what: string, code: string, rule: string, why: string]> = [
  ['Math.random', 'export const r = Math.random();', 'no-restricted-properties', 'use ctx.random'],
  ['Math.random destructured', 'const { random } = Math;\nexport const r = random();', 'no-restricted-properties', 'use ctx.random'],
  ['Date.now', 'export const t = Date.now();', 'no-restricted-globals', 'ctx.tick'],
  ['new Date', 'export const d = new Date();', 'no-restricted-globals', 'ctx.tick'],
  ['performance.now', 'export const t = performance.now();', 'no-restricted-globals', 'ctx.tick'],
  ['crypto randomness', 'export const b = crypto.getRandomValues(new Uint8Array(4));', 'no-restricted-globals', 'use ctx.random'],
  ['setTimeout', 'export const h = setTimeout(() => undefined, 10);', 'no-restricted-globals', 'timers in ticks'],
  ['setInterval', 'export const h = setInterval(() => undefined, 10);', 'no-restricted-globals', 'timers in ticks'],
  ['setImmediate', 'export const h = setImmediate(() => undefined);', 'no-restricted-globals', 'timers in ticks'],
  ['queueMicrotask', 'queueMicrotask(() => undefined);', 'no-restricted-globals', 'timers in ticks'],
  ['requestAnimationFrame', 'export const h = requestAnimationFrame(() => undefined);', 'no-restricted-globals', 'timers in ticks'],
  ['process.env', 'export const e = process.env.SEED;', 'no-restricted-globals', 'no process'],
  ['globalThis', 'export const d = globalThis.Date;', 'no-restricted-properties', 'globalThis'],
  ['a node: import', "import { readdirSync, readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'no-restricted-imports', 'no process, file'],
  ['a bare builtin import', "import { readFileSync } from 'fs';\nexport const f = readFileSync;", 'no-restricted-imports', 'no process, file'],
  ['@tickforge/server', "import { buildApp } from '@tickforge/server';\nexport const b = buildApp;", 'no-restricted-imports', 'never the engine'],
  ['@tickforge/server/harness', "import { createHarness } from '@tickforge/server/harness';\nexport const h = createHarness;", 'no-restricted-imports', 'never the engine'],
  ['the shared index (carries the netcode)', "import { GameClient } from '@tickforge/shared';\nexport const c = GameClient;", 'no-restricted-imports', 'never the engine'],
  ['the netcode by path', "import { Prediction } from '../../netcode/prediction';\nexport const p = Prediction;", 'no-restricted-imports', 'never the engine'],
  ['server/ by path', "import { Room } from '../../../../server/src/room';\nexport const r = Room;", 'no-restricted-imports', 'never the engine'],
  ['client/ by path', "import { el } from '../../../../client/src/dom';\nexport const e = el;", 'no-restricted-imports', 'never the engine'],
  ['a transport package', "import { WebSocket } from 'ws';\nexport const w = WebSocket;", 'no-restricted-imports', 'never the engine'],
  ['a dynamic import', "export const m = () => import('./rules');", 'no-restricted-syntax', 'no dynamic import'],
];

describe('inside a mode folder the linter reports', () => {
  for (const [what, code, rule, why] of FORBIDDEN) {
    it(what, async () => {
      const messages = await lint(code);
      expect(messages.map((m) => m.rule)).toContain(rule);
      const m = messages.find((x) => x.rule === rule)!;
      expect(m.message).toContain('modes are pure rules');
      expect(m.message).toContain(why);
    });
  }
});

describe('the boundary is scoped to modes', () => {
  const code = 'export const t = Date.now() + Math.random() + performance.now();\nsetTimeout(() => undefined, 1);';

  it('code outside a mode folder may use the clock and timers', async () => {
    expect(await lint(code, 'server/src/zz-lint-fixture.ts')).toEqual([]);
    expect(await lint(code, 'shared/src/netcode/zz-lint-fixture.ts')).toEqual([]);
  });

  it("a mode's test may (it runs the harness and the real clock)", async () => {
    expect(
      await lint(`import { createHarness } from '@tickforge/server/harness';\nexport const h = createHarness;\n${code}`, 'shared/src/modes/zz-lint-fixture/zz.test.ts'),
    ).toEqual([]);
  });

  it('a nested folder of a mode is inside the boundary too', async () => {
    expect((await lint('export const r = Math.random();', 'shared/src/modes/zz-lint-fixture/sub/deep.ts')).map((m) => m.rule)).toEqual(['no-restricted-properties']);
  });
});

describe('the modes in the tree', () => {
  it('every file of every mode folder, tests aside, is under the boundary', async () => {
    const modesDir = join(repo, 'shared/src/modes');
    const files = readdirSync(modesDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.includes(sep) && f.endsWith('.ts') && !f.endsWith('.test.ts')) // in a mode's folder
      .map((f) => relative(repo, join(modesDir, f)));
    expect(files).toContain('shared/src/modes/arena/rules.ts');
    for (const file of files) {
      const rules = ((await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown> }).rules;
      for (const rule of ['no-restricted-globals', 'no-restricted-properties', 'no-restricted-imports', 'no-restricted-syntax'])
        expect({ file, rule, on: rule in rules }).toEqual({ file, rule, on: true });
    }
  });
});

describe('a clean mode lints with no message', () => {
  it('what `npm run new-mode` writes', async () => {
    const files = modeFiles({ name: 'zz-lint-fixture', camel: 'zzLintFixture', pascal: 'ZzLintFixture', title: 'Zz Lint Fixture' });
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(5);
    for (const [file, text] of Object.entries(files)) {
      expect({ file, messages: await lint(text, `shared/src/modes/zz-lint-fixture/${file}`) }).toEqual({ file, messages: [] });
    }
  });

  it("the walkthrough's mode in docs/game-modes.md", async () => {
    const guide = readFileSync(new URL('docs/game-modes.md', `file://${repo}`), 'utf8');
    const blocks = [...guide.matchAll(/```ts file=(shared\/src\/modes\/[^\s]+)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [, path, text] of blocks) expect({ path, messages: await lint(text!, path!) }).toEqual({ path, messages: [] });
  });
});
