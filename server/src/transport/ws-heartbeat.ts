/**
 * Dead peers: every `intervalMs` each socket is pinged, and a socket that has not answered the
 * previous ping by the next one is terminated (its room then holds the player for reconnection,
 * as for any connection that ends without a close handshake).
 */
import type { WebSocket, WebSocketServer } from 'ws';

/** Starts the heartbeat on every connection of `wss`; returns the function that stops it. */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const alive = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  const onConnection = (ws: WebSocket) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
  };
  wss.on('connection', onConnection);
  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
