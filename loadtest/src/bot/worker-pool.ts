/**
 * The main thread's side of the bot workers: spawns them (TypeScript through tsx, see
 * worker-bootstrap.mjs), splits the bots among them round-robin, and relays messages.
 */
import { Worker } from 'node:worker_threads';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-protocol';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./bot-worker.ts', import.meta.url).href;

export interface PoolOptions extends Omit<WorkerInit, 'bots'> {
  botCount: number;
  workers: number;
}

export class WorkerPool {
  readonly workers: Worker[] = [];

  constructor(options: PoolOptions, onMessage: (worker: number, m: WorkerToMain) => void, onCrash: (worker: number, err: Error) => void) {
    const { botCount, workers, ...shared } = options;
    for (let w = 0; w < workers; w++) {
      const bots: number[] = [];
      for (let i = w; i < botCount; i += workers) bots.push(i);
      const init: WorkerInit & { entry: string } = { ...shared, bots, entry: ENTRY };
      const worker = new Worker(BOOTSTRAP, { workerData: init, stdout: false, stderr: false });
      worker.on('message', (m: WorkerToMain) => onMessage(w, m));
      worker.on('error', (err) => onCrash(w, err));
      this.workers.push(worker);
    }
  }

  send(m: MainToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
