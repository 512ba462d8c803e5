/**
 * Graceful shutdown: stop matchmaking (503 TF_ERR_SHUTTING_DOWN), close every game socket with
 * 1001 and a reason, dispose the rooms, give the close handshakes a moment, cut what is left,
 * then close the HTTP server. Bounded: it finishes within `drainMs` plus Fastify's own close.
 */
import type { FastifyInstance } from 'fastify';
import { CloseReasons } from '@tickforge/shared';

export async function shutDown(app: FastifyInstance, drainMs = 1500): Promise<void> {
  await app.directory.stopMatchmaking();
  app.rooms.closeAll(...CloseReasons.shuttingDown);
  const wss = app.websocketServer;
  // Sockets that are not in a room (still being refused) hear the same.
  for (const ws of wss.clients) ws.close(...CloseReasons.shuttingDown);
  const deadline = Date.now() + drainMs;
  while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // A client that does not answer the close frame must not hold the deploy up.
  for (const ws of wss.clients) ws.terminate();
  await app.close();
}
