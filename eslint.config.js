/**
 * `npm run lint` (part of `npm test`): the recommended JavaScript and typescript-eslint rules (no
 * type-aware ones: they cost tens of seconds on 2 cores and would ask for rewrites the tree does not
 * need), and the mode boundary that docs/game-modes.md states: a mode is pure rules over state,
 * inputs and time, so inside a mode's folder nothing reads the clock, randomness, timers, the host
 * or the engine. shared/src/modes/boundary.test.ts feeds every forbidden thing through this config so the
 * guard cannot rot unnoticed.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PURE = 'modes are pure rules over state, inputs and time (docs/game-modes.md, "What a mode can and cannot touch")';
const RANDOM = `${PURE}: use ctx.random, the room's seeded random source, so a room replays from its seed`;
const TIME = `${PURE}: time is ctx.tick / ctx.timeMs, so a room replays and tests step the clock`;
const TIMER = `${PURE}: keep timers in ticks (endsAt = ctx.tick + seconds * ctx.tickRate)`;
const HOST = `${PURE}: a mode sees no process, file, network or host API`;
const ENGINE = `${PURE}: a mode imports the mode API and its own files, never the engine (server, client, netcode, transport)`;

/** The files of a mode (shared/src/modes/<name>/...), tests aside: they run the harness. */
export const MODE_FILES = ['shared/src/modes/*/**/*.{ts,js,mts,mjs}'];
export const MODE_TESTS = ['shared/src/modes/**/*.test.ts'];

const modeBoundary = {
  name: 'tickforge/mode-boundary',
  files: MODE_FILES,
  ignores: MODE_TESTS,
  rules: {
    'no-restricted-globals': [
      'error',
      { name: 'Date', message: TIME },
      { name: 'performance', message: TIME },
      { name: 'crypto', message: RANDOM },
      ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame'].map(
        (name) => ({ name, message: TIMER }),
      ),
      ...['process', 'require', 'fetch', 'WebSocket', 'XMLHttpRequest', 'document', 'window', 'self', 'global'].map((name) => ({ name, message: HOST })),
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Math', property: 'random', message: RANDOM },
      { object: 'globalThis', message: `${HOST}: no globals reached through globalThis` },
    ],
    'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: `${ENGINE}: no dynamic import()` }],
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: HOST })),
          { name: '@tickforge/shared', message: `${ENGINE}: the package index carries the netcode; import ../../mode-api/* and ../../protocol/* by path` },
        ],
        patterns: [
          { regex: '^node:', message: HOST },
          { regex: '^@tickforge/(server|client|loadtest)(/|$)', message: ENGINE },
          { regex: '^@tickforge/shared/netcode(/|$)', message: ENGINE },
          { regex: '^(\\.\\./)+(server|client|loadtest)(/|$)', message: ENGINE },
          { regex: '^\\.\\.?/(.*/)?netcode(/|$)', message: ENGINE },
          { regex: '^(ws|fastify|@fastify/.*|pixi\\.js|prom-client|ioredis|redis)(/|$)', message: ENGINE },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'bench/results/', 'test-artifacts/', 'coverage/', '**/.vite/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `ModeDefinition<any, any>` is how a list holds modes of different state and input types
      // (a mode's functions take its own state, so `unknown` would not accept them).
      '@typescript-eslint/no-explicit-any': 'off',
      // `let timer; hook(() => clearInterval(timer)); timer = setInterval(...)`: a closure that reads
      // the variable before its one assignment is why it is a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['client/src/**', 'client/test/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  modeBoundary,
);
