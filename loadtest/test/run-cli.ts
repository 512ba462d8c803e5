/**
 * Test helpers: run the loadtest CLI as a child process (as a user or CI would), and a real server
 * built in-process on 127.0.0.1 port 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp, loadConfig, type ServerConfig } from '@tickforge/server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `loadtest/src/cli.ts args`; kills it (and fails the result) after `killAfterMs`. */
export function runCli(args: string[], killAfterMs: number): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/src/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    }),
  );
}

export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<{ app: FastifyInstance; url: string }> {
  const config = loadConfig({}, { host: '127.0.0.1', port: 0, logLevel: 'silent', matchmakeRateLimit: 0, ...overrides });
  const app = await buildApp({ config, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}
