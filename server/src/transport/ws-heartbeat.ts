/**
 * Dead peers: every `intervalMs` each socket is pinged, and a socket that has not answered the
 * previous ping by the next one is terminated (its room then holds the player for reconnection,
 * as for any connection that ends without a close handshake).
 */
import type { WebSocket, WebSocketServer } from 'ws';

const pingSentAt = new WeakMap<WebSocket, number>();
const roundTrips = new WeakMap<WebSocket, number>();

/** The socket's last heartbeat round trip in ms (ping to pong), undefined before the first pong. */
export function heartbeatRttMs(ws: WebSocket): number | undefined {
  return roundTrips.get(ws);
}

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
      pingSentAt.set(ws, performance.now());
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  const onConnection = (ws: WebSocket) => {
    alive.add(ws);
    ws.on('pong', () => {
      alive.add(ws);
      const sent = pingSentAt.get(ws);
      if (sent !== undefined) roundTrips.set(ws, performance.now() - sent);
    });
  };
  wss.on('connection', onConnection);
  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
