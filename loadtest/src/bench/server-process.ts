/**
 * A production server in its own process for the bench: the compiled build (`node
 * server/dist/main.js`, as `npm start` runs it; `npm run bench` builds it first) on a free port (PORT=0, the URL read from its first line), optionally pinned to one core
 * with taskset and optionally profiled with --cpu-prof. A profiled server runs the sources under
 * tsx instead: V8's profile names the bundle, not the source files, and the profile summary sorts
 * CPU by source file (the bench's table never comes from the profiled run). Stopped with SIGTERM (a graceful shutdown,
 * which is also when --cpu-prof writes its profile), SIGKILL if it does not exit in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** What `npm run build:server` writes. */
export const SERVER_BUNDLE = 'server/dist/main.js';

export interface ServerProcessOptions {
  /** Run the server on this core only (taskset -c). */
  cpu?: number;
  /** Write a V8 CPU profile of the server here when it exits. */
  cpuProfDir?: string;
  /** Script to run instead of the server (the bench's floor server), with its arguments. */
  entry?: { script: string; args?: string[]; tsx?: boolean };
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Output the server printed (warnings and errors, LOG_LEVEL=warn). */
  output(): string;
  stop(): Promise<number | null>;
  /** Epoch ms when the process exited (0 while running). */
  exitedAt(): number;
}

export async function startServer(o: ServerProcessOptions = {}): Promise<ServerProcess> {
  let nodeArgs: string[];
  if (o.entry) {
    nodeArgs = [
      ...(o.entry.tsx === false ? [] : ['--import', 'tsx']),
      ...(o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : []),
      o.entry.script,
      ...(o.entry.args ?? []),
    ];
  } else {
    if (!o.cpuProfDir && !existsSync(join(REPO_ROOT, SERVER_BUNDLE))) {
      throw new Error(`${SERVER_BUNDLE} is missing: build it with \`npm run build:server\` (\`npm run bench\` does)`);
    }
    nodeArgs = o.cpuProfDir ? ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', o.cpuProfDir, 'server/src/main.ts'] : [SERVER_BUNDLE];
  }
  const [cmd, args] = o.cpu !== undefined ? ['taskset', ['-c', String(o.cpu), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(cmd, args, {
    cwd: REPO_ROOT,
    // Every bot matchmakes from 127.0.0.1: the per-address matchmaking limit would refuse most of them.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', MATCHMAKE_RATE_LIMIT: '0', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let exitedAt = 0;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitedAt = Date.now();
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`the server printed no URL within ${(o.startTimeoutMs ?? 30_000) / 1000} s:\n${out}`)), o.startTimeoutMs ?? 30_000);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout!.on('data', () => {
      const m = /open (http:\/\/\S+) in a browser/.exec(out);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('error', fail);
    void exited.then((code) => fail(new Error(`the server exited (${code}) before listening:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    output: () => out,
    stop: () => stop(child, exited),
    exitedAt: () => exitedAt,
  };
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
