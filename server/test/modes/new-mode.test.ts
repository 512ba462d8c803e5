/**
 * `npm run new-mode` and the walkthrough of docs/game-modes.md, end to end, in a temporary copy of
 * the repository (so a failure can never leave a stray mode behind): the scaffold writes and
 * registers a mode, the walkthrough's code blocks are applied as written, both typecheck (tsc),
 * their own tests pass (vitest), and both are playable at once on a real server (matchmake, join,
 * move over a WebSocket).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const NAME = 'zz-scaffolded';
const WALKTHROUGH = 'coins';
let tmp = '';

/** A copy of the sources with node_modules linked back, except our own workspaces, which point into the copy. */
function copyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tickforge-new-mode-'));
  for (const f of ['package.json', 'tsconfig.json', 'vitest.config.ts']) cpSync(join(repo, f), join(dir, f));
  for (const d of ['shared', 'server', 'scripts', 'docs']) {
    cpSync(join(repo, d), join(dir, d), { recursive: true, filter: (src) => !src.includes('node_modules') });
  }
  if (existsSync(join(repo, 'server/node_modules'))) symlinkSync(join(repo, 'server/node_modules'), join(dir, 'server/node_modules'));
  mkdirSync(join(dir, 'node_modules/@tickforge'), { recursive: true });
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    // Dot entries are caches (.vite, .vitest): the copy keeps its own.
    if (entry === '@tickforge' || (entry.startsWith('.') && entry !== '.bin')) continue;
    symlinkSync(join(repo, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  for (const ws of ['shared', 'server']) symlinkSync(join(dir, ws), join(dir, 'node_modules/@tickforge', ws));
  return dir;
}

/** The code blocks of the walkthrough: ```ts file=<path> (a whole file) or ```ts append=<path>. */
function docBlocks(markdown: string): Array<{ how: 'file' | 'append'; path: string; text: string }> {
  return [...markdown.matchAll(/```ts (file|append)=(\S+)\n([\s\S]*?)```/g)].map((m) => ({ how: m[1] as 'file' | 'append', path: m[2]!, text: m[3]! }));
}

/** The environment of this test run, minus what would make the child vitest think it is a worker of ours. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  return env;
}

const scaffold = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/new-mode.ts', ...args], { cwd: tmp, env: childEnv() }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const PLAYABLE_TEST = `import { describe, expect, it } from 'vitest';
import { modes } from '@tickforge/shared';
import { joinLive, startServer, waitFor } from './live-server';

describe('new modes are playable at once', () => {
  for (const name of ['${NAME}', '${WALKTHROUGH}']) {
    it(name, async () => {
      const mode = modes.find((m) => m.name === name)!;
      expect(mode).toBeDefined();
      const server = await startServer(modes);
      try {
        const listed = (await (await fetch(server.base + '/api/modes')).json()) as Array<{ name: string }>;
        expect(listed.map((m) => m.name)).toContain(name);
        const a = await joinLive(server, mode, { name: 'a' });
        const me = () => a.client.state.players.get(String(a.client.playerId));
        await waitFor('the player in the state', () => me() !== undefined);
        const x0 = me().x;
        const dx = x0 > mode.world!.width / 2 ? -1 : 1;
        const send = setInterval(() => a.client.sendInput({ ...mode.input.neutral(), dx }), 20);
        try {
          await waitFor('the player to move', () => Math.abs(me().x - x0) > 20);
        } finally {
          clearInterval(send);
        }
        expect(a.client.ack).toBeGreaterThan(0);
      } finally {
        await server.close();
      }
    });
  }
});
`;

describe('npm run new-mode and the walkthrough', () => {
  beforeAll(() => {
    tmp = copyRepo();
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('scaffolds a mode folder, registers it with one line, and refuses to overwrite or a bad name', async () => {
    const registry = join(tmp, 'shared/src/modes/index.ts');
    const before = readFileSync(registry, 'utf8');
    const made = await scaffold(NAME);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const dir = join(tmp, 'shared/src/modes', NAME);
    expect(readdirSync(dir).sort()).toEqual(['index.ts', 'input.ts', 'rules.ts', 'state.ts', `${NAME}.test.ts`].sort());
    expect(readFileSync(registry, 'utf8')).toBe(`${before}export { zzScaffolded } from './${NAME}';\n`);
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).toContain(`name: '${NAME}'`);

    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const again = await scaffold(NAME);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`shared/src/modes/${NAME} already exists`);
    expect(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(files);
    expect((await scaffold('Bad_Name')).stderr).toContain('"Bad_Name" is not a valid mode name');
    expect((await scaffold('class')).stderr).toContain('reserved');
    expect((await scaffold()).code).toBe(2);
    expect(existsSync(join(tmp, 'shared/src/modes/class'))).toBe(false);
    expect(
      readFileSync(registry, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('export')),
    ).toHaveLength(before.split('\n').filter((l) => l.startsWith('export')).length + 1);
  }, 30_000);

  it("applies the walkthrough's code blocks as written, and its line count is the one the guide states", () => {
    const guide = readFileSync(join(tmp, 'docs/game-modes.md'), 'utf8');
    const blocks = docBlocks(guide);
    expect(blocks.map((b) => `${b.how} ${b.path}`)).toEqual([
      `file shared/src/modes/${WALKTHROUGH}/index.ts`,
      'append shared/src/modes/index.ts',
      `file shared/src/modes/${WALKTHROUGH}/${WALKTHROUGH}.test.ts`,
    ]);
    mkdirSync(join(tmp, 'shared/src/modes', WALKTHROUGH));
    for (const b of blocks) {
      if (b.how === 'file') writeFileSync(join(tmp, b.path), b.text, { flag: 'wx' });
      else appendFileSync(join(tmp, b.path), b.text);
    }
    const lines = (text: string) => text.trimEnd().split('\n').length;
    const stated = guide.match(/The mode is \*\*(\d+) lines\*\* \(`index.ts`\), plus 1 line to register it and (\d+) lines of test/);
    expect(stated, 'the guide states the line counts').not.toBeNull();
    expect([lines(blocks[0]!.text), lines(blocks[1]!.text), lines(blocks[2]!.text)]).toEqual([Number(stated![1]), 1, Number(stated![2])]);
    writeFileSync(join(tmp, 'server/test/modes/playable.test.ts'), PLAYABLE_TEST);
  });

  it('both typecheck', async () => {
    writeFileSync(
      join(tmp, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        include: ['shared/src/modes', 'scripts', 'server/test/modes/playable.test.ts', 'server/test/modes/live-server.ts'],
      }),
    );
    const tsc = await run(process.execPath, [join(tmp, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.check.json'], { cwd: tmp }).catch((e: { stdout: string }) => ({
      stdout: e.stdout,
      failed: true,
    }));
    expect(tsc.stdout).toBe('');
    expect('failed' in tsc).toBe(false);
  }, 60_000);

  it('their generated and written tests pass, and both are playable on a real server', async () => {
    const out = join(tmp, 'vitest-result.json');
    await run(
      process.execPath,
      [
        join(tmp, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--reporter=json',
        `--outputFile=${out}`,
        `shared/src/modes/${NAME}/`,
        `shared/src/modes/${WALKTHROUGH}/`,
        'server/test/modes/playable.test.ts',
      ],
      { cwd: tmp, env: childEnv() },
    ).catch(() => undefined); // a failure is reported in the JSON below
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
    };
    const outcomes = result.testResults.flatMap((f) =>
      f.assertionResults.map((a) => `${a.status}: ${a.fullName}${a.failureMessages.length ? ' — ' + a.failureMessages[0]!.split('\n')[0] : ''}`),
    );
    expect(outcomes.filter((o) => !o.startsWith('passed'))).toEqual([]);
    expect(result.testResults.map((f) => f.name.slice(tmp.length + 1)).sort()).toEqual(
      [`server/test/modes/playable.test.ts`, `shared/src/modes/${NAME}/${NAME}.test.ts`, `shared/src/modes/${WALKTHROUGH}/${WALKTHROUGH}.test.ts`].sort(),
    );
    expect(result.numPassedTests).toBe(4 + 1 + 2); // generated, walkthrough, playable
    expect(result.numFailedTests).toBe(0);
  }, 60_000);
});
