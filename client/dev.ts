/**
 * `npm run dev`: the server, restarted on every change to its code or the shared code (tsx watch),
 * and Vite's dev server with hot reload, which proxies /api and /ws to it (vite.config.ts).
 * Ctrl-C stops both; if one of them exits, the other is stopped too.
 *
 *   PORT        the game server's port (default 3000); Vite proxies to it
 *   VITE_PORT   Vite's port (default 5173)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const port = process.env.PORT ?? '3000';
const vitePort = process.env.VITE_PORT ?? '5173';
console.log(`[dev] play at http://127.0.0.1:${vitePort}/ (Vite, hot reload); game server on port ${port}, restarted on change`);

const children: ChildProcess[] = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: port },
  }),
  spawn(bin('vite'), ['--port', vitePort, '--strictPort'], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    stdio: 'inherit',
    env: { ...process.env, PORT: port },
  }),
];

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  // Give both a moment to shut down cleanly, then leave.
  setTimeout(() => process.exit(code), 3000).unref();
}

for (const c of children) {
  c.on('exit', (code) => {
    if (!stopping) console.error(`\n[dev] ${c.spawnfile} exited (${code ?? 'signal'}); stopping the other process`);
    stop(code ?? 1);
    if (children.every((x) => x.exitCode !== null || x.signalCode !== null)) process.exit(code ?? 0);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
