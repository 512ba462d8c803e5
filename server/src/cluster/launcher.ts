/**
 * `npm run cluster -- --nodes N`: N server processes on this machine (one per core is the point),
 * each a node of one cluster on one Redis: ports PORT, PORT+1, ..., PUBLIC_URL
 * http://<PUBLIC_HOST>:<port> each, one SEAT_SECRET for all (generated here when unset). SIGTERM
 * or SIGINT is passed to every node, which drains (docs/scaling.md); the launcher exits when all
 * have, with the worst exit status. A node that dies is not restarted: that is a supervisor's job
 * (systemd, Kubernetes), and the others carry on without it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HELP = `Usage: npm run cluster -- [--nodes N] [--port P] [--redis URL]

Starts N Tickforge nodes on this machine against one Redis (each a separate process):
  --nodes N      processes to start (default: the core count, here ${availableParallelism()})
  --port P       port of the first node; the others take P+1, P+2, ... (default PORT or 3000)
  --redis URL    the Redis every node shares (default REDIS_URL or redis://127.0.0.1:6379)
Every other setting comes from the environment as for npm start (HOST, SEAT_SECRET, MAX_ROOMS,
DRAIN_TIMEOUT_SECONDS, ...). PUBLIC_HOST (default HOST, or localhost) names this machine in each
node's PUBLIC_URL, http://PUBLIC_HOST:<port>. A local Redis for it:
  redis-server --port 6379 --save '' --appendonly no`;

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: { nodes: { type: 'string' }, port: { type: 'string' }, redis: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const nodes = Number(values.nodes ?? availableParallelism());
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 64) fail(`--nodes ${values.nodes} must be an integer from 1 to 64`);
  if (!Number.isInteger(port) || port < 1 || port + nodes - 1 > 65535) fail(`--port ${values.port} must leave room for ${nodes} ports below 65536`);
  const redisUrl = values.redis ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const host = process.env.HOST || '127.0.0.1';
  const publicHost = process.env.PUBLIC_HOST || (host === '0.0.0.0' || host === '::' ? 'localhost' : host);
  const seatSecret = process.env.SEAT_SECRET ?? randomBytes(32).toString('base64url');

  // The production bundle (npm run build) when there is one, as npm start runs it; else the sources under tsx.
  const bundle = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
  const command = existsSync(bundle) ? [bundle] : ['--import', 'tsx', fileURLToPath(new URL('../main.ts', import.meta.url))];
  const children: ChildProcess[] = [];
  let worst = 0;
  let stopping = false;
  for (let i = 0; i < nodes; i++) {
    const p = port + i;
    const env = {
      ...process.env,
      PORT: String(p),
      HOST: host,
      REDIS_URL: redisUrl,
      SEAT_SECRET: seatSecret,
      PUBLIC_URL: `http://${publicHost}:${p}`,
      NODE_ID: process.env.NODE_ID_PREFIX ? `${process.env.NODE_ID_PREFIX}-${i}` : `${hostname()}-${p}`,
    };
    const child = spawn(process.execPath, command, { env, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      worst = Math.max(worst, code ?? (signal ? 1 : 0));
      if (!stopping) console.error(`[cluster] node on port ${p} exited (${signal ?? code}); the others go on`);
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(worst);
    });
    children.push(child);
  }
  console.log(`[cluster] ${nodes} node(s) on ports ${port}..${port + nodes - 1}, Redis ${redisUrl}`);
  const forward = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
  };
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGINT', () => forward('SIGINT'));
}

function fail(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

main();
