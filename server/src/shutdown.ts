/**
 * Graceful shutdown: stop matchmaking (503 TF_ERR_SHUTTING_DOWN), close every game socket with
 * 1001 and a reason, dispose the rooms, give the close handshakes a moment, cut what is left,
 * then close the HTTP server. Bounded: it finishes within `drainMs` plus Fastify's own close,
 * whatever connections are open: one that never sent a byte, or a half-sent request, is destroyed
 * with the rest (issue 12: such a connection held Node's close until the 4.5 s fallback, exit 1).
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
  // Those the gateways hold (GATEWAYS > 0) heard it from their gateway.
  const open = () => wss.clients.size + (app.gateways?.connections ?? 0);
  while (open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // A client that does not answer the close frame must not hold the deploy up.
  for (const ws of wss.clients) ws.terminate();
  app.gateways?.terminateAll();
  // Idle keep-alive, silent and half-sent connections: nothing is owed to them any more.
  const closed = app.close();
  app.connections.destroyAll();
  await closed;
}
