/**
 * The production build (`npm run build:server`, scripts/build-server.ts) runs with plain `node`:
 * built the same way into a temporary copy of the layout (server/dist/main.js beside a client/dist),
 * it starts on port 0, answers /health, serves the built client it finds relative to itself (as
 * app.ts does under tsx), and stops on SIGTERM with exit 0. `npm start` runs that bundle, not tsx.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const MARKER = '<title>tickforge build test</title>';
let tmp = '';
let bundle = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'tickforge-build-'));
  // npm dependencies resolve from the bundle's folder upwards, as they do from server/dist.
  symlinkSync(join(repo, 'node_modules'), join(tmp, 'node_modules'));
  mkdirSync(join(tmp, 'server'));
  if (existsSync(join(repo, 'server/node_modules'))) symlinkSync(join(repo, 'server/node_modules'), join(tmp, 'server/node_modules'));
  mkdirSync(join(tmp, 'client/dist'), { recursive: true });
  writeFileSync(join(tmp, 'client/dist/index.html'), `<!doctype html>${MARKER}`);
  bundle = await buildServer(join(tmp, 'server/dist/main.js'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the production build', () => {
  it('inlines our workspaces and leaves npm dependencies to node_modules', () => {
    const js = readFileSync(bundle, 'utf8');
    expect(js).not.toMatch(/from ["']@tickforge\//);
    expect(js).not.toMatch(/from ["']tsx/);
    expect(js).toMatch(/from ["']fastify["']/);
    expect(js).toMatch(/from ["']@colyseus\/schema["']/); // one copy of the schema library, shared with node_modules
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // The gateway process's entry, forked when GATEWAYS > 0.
    expect(readFileSync(join(dirname(bundle), 'gateway.js'), 'utf8')).not.toMatch(/from ["']@tickforge\//);
  });

  it.each(['0', '1'])('starts with plain node on port 0 (GATEWAYS=%s), answers /health, serves the client beside it, and exits 0 on SIGTERM', async (gateways) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST$|NODE_OPTIONS$|CLIENT_DIR$)/.test(k)) env[k] = v;
    const child = spawn(process.execPath, [bundle], {
      cwd: tmp,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', GATEWAYS: gateways },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed within 10 s:\n${out}`)), 10_000);
        child.stdout.on('data', () => {
          const m = /open (http:\/\/\S+) in a browser/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`exited (${code}) before listening:\n${out}`)));
      });
      expect(Number(new URL(url).port)).toBeGreaterThan(0);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(MARKER);
      // With a gateway, its process started from the bundle's gateway.js and reports in.
      const metrics = await (await fetch(`${url}/metrics`)).text();
      if (gateways === '1') expect(metrics).toMatch(/^tickforge_gateway_connections 0$/m);
      else expect(metrics).not.toMatch(/tickforge_gateway_connections/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('is what `npm start` runs, without the tsx loader', () => {
    const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toMatch(/^npm run build && node server\/dist\/main\.js$/);
    expect(scripts.build).toContain('build:server');
    expect(scripts['build:server']).toContain('scripts/build-server.ts');
  });
});
