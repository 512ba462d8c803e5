/**
 * A throwaway local Redis: Debian's `redis-server` on a free port with nothing persisted, started
 * and stopped by its pid. The cluster tests and the cluster bench run on one. `stop()` then
 * `start()` brings it back on the same port, empty, which is what the fault tests need (Redis
 * down under play, then back with nothing in it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export interface LocalRedis {
  port: number;
  url: string;
  /** Starts it (again) on the same port and resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILLs it (a crash, not a shutdown) and resolves once the process is gone. */
  stop(): Promise<void>;
  /** Sends one command and resolves with the raw reply (for FLUSHALL, INFO in tests). */
  command(...args: string[]): Promise<string>;
}

export async function startRedis(port?: number): Promise<LocalRedis> {
  port ??= await freePort();
  let child: ChildProcess | undefined;
  const redis: LocalRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child) return;
      const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      child = proc;
      proc.once('exit', () => {
        if (child === proc) child = undefined;
      });
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          if ((await redis.command('PING')).startsWith('+PONG')) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 5 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      child = undefined;
      const gone = new Promise((r) => proc.once('exit', r));
      process.kill(proc.pid!, 'SIGKILL');
      await gone;
    },
    command: (...args) => rawCommand(port, args),
  };
  await redis.start();
  return redis;
}

/** One RESP command on a fresh connection; resolves with the first reply's bytes as text. */
function rawCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let out = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('redis command timed out')));
    socket.once('error', reject);
    socket.on('data', (d) => {
      out += d.toString();
      // A bulk reply ($<length>) may come in several chunks: wait for all of it.
      const bulk = /^\$(\d+)\r\n/.exec(out);
      const complete = bulk ? Buffer.byteLength(out) >= bulk[0].length + Number(bulk[1]) + 2 : out.endsWith('\r\n');
      if (complete) {
        socket.end();
        resolve(out);
      }
    });
    socket.connect(port, '127.0.0.1', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
