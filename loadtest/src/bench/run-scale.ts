/**
 * One measured run of the bench: a fresh server process (ours, or the floor), the loadtest CLI
 * against it as a child (pinned and niced as asked), the server stopped, the report read back.
 * bench.ts, vs-colyseus.ts and capacity.ts all measure through this, so their runs are alike.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../report/report';
import { REPO_ROOT, startServer, type ServerProcessOptions } from './server-process';

export interface ScaleRun {
  report: Report | undefined;
  /** Why the run produced no report, or ended badly. */
  problem: string | undefined;
  /** Epoch ms when the server exited. */
  exitedAt: number;
}

export interface RunScaleOptions {
  server: ServerProcessOptions;
  /** Loadtest arguments besides --url, --out and --quiet. */
  args: string[];
  /** Core for the loadtest process (taskset -c). */
  botCpu?: number;
  /** `nice -n` for the loadtest process, as Colyseus's harness runs its bots (BOT_NICE=10). */
  botNice?: number;
  /** Where the loadtest's JSON goes (deleted after reading). */
  json: string;
  label: string;
}

export async function runScale(o: RunScaleOptions): Promise<ScaleRun> {
  const server = await startServer(o.server);
  console.log(`\nbench: ${o.label}: server pid ${server.pid} at ${server.url}`);
  const code = await runLoadtest(['--url', server.url, ...o.args, '--quiet', '--out', o.json], o.botCpu, o.botNice);
  const exitCode = await server.stop();
  if (exitCode !== 0) console.log(`bench: the server exited with ${exitCode}:\n${server.output()}`);
  let report: Report | undefined;
  try {
    report = JSON.parse(readFileSync(o.json, 'utf8')) as Report;
    rmSync(o.json);
    rmSync(o.json.replace(/\.json$/, '.html'), { force: true });
  } catch {
    report = undefined;
  }
  const problem = code === 0 || code === 1 ? (report?.aborted ?? undefined) : `loadtest exit ${code}`;
  return { report, problem, exitedAt: server.exitedAt() };
}

/** Runs the loadtest CLI as a child (pinned to `cpu` and niced if given), its output passed through. */
export function runLoadtest(args: string[], cpu: number | undefined, nice?: number): Promise<number | null> {
  let argv = [process.execPath, '--import', 'tsx', join('loadtest', 'src', 'cli.ts'), ...args];
  if (cpu !== undefined) argv = ['taskset', '-c', String(cpu), ...argv];
  if (nice) argv = ['nice', '-n', String(nice), ...argv];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
