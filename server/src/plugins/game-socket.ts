/**
 * The game socket: GET /ws upgrades to a WebSocket (transport/ws-game-socket.ts binds it to a
 * room), with the heartbeat that cuts dead peers. Not encapsulated: `websocketServer` is the app's
 * (shutdown drains it), and the app's close must reach every player.
 */
import fastifyWebsocket from '@fastify/websocket';
import { WebSocket } from 'ws';
import { CloseReasons, MAX_CLIENT_MESSAGE_BYTES } from '@tickforge/shared';
import { Errors } from '../errors';
import type { Clock } from '../clock';
import type { Metrics } from '../metrics';
import type { RoomLimits } from '../room';
import type { RoomHost } from '../rooms/host';
import type { SeatTokens } from '../seat-tokens';
import type { GuardedServer } from '../transport/connection-guard';
import type { Gateways } from '../transport/gateway/gateways';
import { acceptGameSocket } from '../transport/ws-game-socket';
import { startHeartbeat } from '../transport/ws-heartbeat';
import { unencapsulated } from './unencapsulated';

export interface GameSocketOptions {
  rooms: RoomHost;
  tokens: SeatTokens;
  clock: Clock;
  metrics: Metrics;
  heartbeatMs: number;
  /** The PING message's flood limit, which WebSocket ping frames share. */
  limits: RoomLimits;
  /** Gateway processes that take admitted connections (GATEWAYS > 0). */
  gateways?: Gateways;
}

/**
 * Tokens are checked after the upgrade (transport/ws-game-socket.ts), not by a schema: a refusal
 * before the upgrade is an HTTP 400 that a browser reports as 1006 without a reason, while the
 * documented answer to a bad token is the close 4001 and why.
 */
type TokenQuery = { token?: string | string[]; reconnect?: string | string[] };

export const gameSocket = unencapsulated<GameSocketOptions>(async (app, { rooms, tokens, clock, metrics, heartbeatMs, limits, gateways }) => {
  // Before the WebSocket plugin's own preClose (hooks run in order), so that every player hears
  // 1001 and why rather than the plugin's bare close.
  let stopHeartbeat = () => {};
  app.addHook('preClose', async () => {
    stopHeartbeat();
    rooms.closeAll(...CloseReasons.shuttingDown);
  });

  await app.register(fastifyWebsocket, {
    // autoPong off: ping control frames are answered by the game socket, under a rate limit.
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false, autoPong: false },
    // An error on an open game socket is a client's doing (ws has already closed it with the fitting
    // code) or our handler's bug: neither is worth an error-level log line per hostile client, and
    // the plugin's default would cut the socket before ws's close frame reaches the client.
    errorHandler(err, socket, req) {
      req.log.debug({ err }, 'game socket error');
      if (socket.readyState === WebSocket.OPEN) socket.close(...CloseReasons.internalError);
    },
  });

  // Only /ws upgrades: an upgrade of any other path is answered like a GET of it (404, 401...)
  // before any 101, and a plain GET of /ws hears that it needs an upgrade.
  app.addHook('onRequest', async (req) => {
    const upgrade = (req as { ws?: boolean }).ws === true;
    const isGameSocket = req.routeOptions.url === '/ws';
    if (upgrade && !isGameSocket) throw Errors.notFound(req.method, req.url.split('?')[0]!);
    if (!upgrade && isGameSocket && req.method === 'GET') throw Errors.notAnUpgrade();
  });

  const handOver = gateways && { pool: gateways, local: { wss: app.websocketServer, guard: app.server as GuardedServer } };
  app.get<{ Querystring: TokenQuery }>('/ws', { websocket: true }, (socket, req) =>
    acceptGameSocket(socket, req.query, { rooms, tokens, clock, traffic: metrics.traffic, pingRate: limits.pingRate, gateways: handOver }),
  );

  stopHeartbeat = startHeartbeat(app.websocketServer, heartbeatMs);
});
