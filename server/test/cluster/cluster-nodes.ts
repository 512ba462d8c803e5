/**
 * Real cluster nodes for a test: `node --import tsx server/src/main.ts` processes on free ports
 * against a test Redis, each with its NODE_ID and PUBLIC_URL and one shared SEAT_SECRET, as
 * `npm run cluster` starts them. A node is ready once its /health shows it in the cluster; it is
 * stopped by its pid (SIGTERM to drain, SIGKILL to crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/cluster/local-redis';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
export const CLUSTER_SECRET = 'cluster-test-secret-0123456789';

export interface TestNode {
  id: string;
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
  proc: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
  /** Everything it wrote to stderr and stdout, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

export async function startNode(redisUrl: string, id: string, env: Record<string, string> = {}): Promise<TestNode> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      SEAT_SECRET: CLUSTER_SECRET,
      PUBLIC_URL: base,
      NODE_ID: id,
      LOG_LEVEL: 'warn',
      MATCHMAKE_RATE_LIMIT: '0',
      CLIENT_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const node: TestNode = {
    id,
    port,
    base,
    proc,
    exited,
    output: () => out,
    kill: (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, signal);
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`node ${id} exited at start (${proc.exitCode}):\n${out}`);
    const health = await fetchJson(`${base}/health`).catch(() => undefined);
    if (health?.cluster?.nodes?.some((n: { id: string }) => n.id === id)) return node;
    if (Date.now() > deadline) {
      node.kill('SIGKILL');
      throw new Error(`node ${id} not in the cluster within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function fetchJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const body = await res.json();
  if (typeof body === 'object' && body !== null) Object.defineProperty(body, 'httpStatus', { value: res.status });
  return body;
}

/** POST /api/matchmake; resolves with the answer or the error body, and the HTTP status. */
export async function matchmakeAt(base: string, body: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/matchmake`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.json() };
}
