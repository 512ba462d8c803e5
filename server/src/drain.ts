/**
 * Draining, the first part of a cluster node's SIGTERM: the directory marks the node draining at
 * once (no new rooms or seats here; the other nodes take the new matchmakes), the rooms play on
 * and close as they empty, and whatever is left when the drain timeout runs out goes through the
 * graceful shutdown (1001 "server shutting down"). A Kubernetes preStop/terminationGracePeriod or
 * an Agones Shutdown() maps onto this (docs/scaling.md).
 */
import type { FastifyInstance } from 'fastify';
import { shutDown } from './shutdown';

export async function drainThenShutDown(app: FastifyInstance, timeoutMs: number): Promise<void> {
  await app.directory.drain?.();
  const deadline = Date.now() + timeoutMs;
  app.log.info({ rooms: app.rooms.size, timeoutMs }, 'draining: rooms play on until empty or the drain timeout');
  while (app.rooms.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await shutDown(app);
}
