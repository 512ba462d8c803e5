/**
 * The game socket: GET /ws upgrades to a WebSocket (transport/ws-game-socket.ts binds it to a
 * room), with the heartbeat that cuts dead peers. Not encapsulated: `websocketServer` is the app's
 * (shutdown drains it), and the app's close must reach every player.
 */
import fastifyWebsocket from '@fastify/websocket';
import { WebSocket } from 'ws';
import { CloseReasons, MAX_CLIENT_MESSAGE_BYTES } from '@tickforge/shared';
import type { Credentials } from '../admission';
import type { Clock } from '../clock';
import type { Metrics } from '../metrics';
import type { RoomHost } from '../rooms/host';
import type { SeatTokens } from '../seat-tokens';
import { acceptGameSocket } from '../transport/ws-game-socket';
import { startHeartbeat } from '../transport/ws-heartbeat';
import { unencapsulated } from './unencapsulated';

export interface GameSocketOptions {
  rooms: RoomHost;
  tokens: SeatTokens;
  clock: Clock;
  metrics: Metrics;
  heartbeatMs: number;
}

const tokenParam = { type: 'string', maxLength: 300 } as const;

export const gameSocket = unencapsulated<GameSocketOptions>(async (app, { rooms, tokens, clock, metrics, heartbeatMs }) => {
  // Before the WebSocket plugin's own preClose (hooks run in order), so that every player hears
  // 1001 and why rather than the plugin's bare close.
  let stopHeartbeat = () => {};
  app.addHook('preClose', async () => {
    stopHeartbeat();
    rooms.closeAll(...CloseReasons.shuttingDown);
  });

  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false },
    // An error on an open game socket is a client's doing (ws has already closed it with the fitting
    // code) or our handler's bug: neither is worth an error-level log line per hostile client, and
    // the plugin's default would cut the socket before ws's close frame reaches the client.
    errorHandler(err, socket, req) {
      req.log.debug({ err }, 'game socket error');
      if (socket.readyState === WebSocket.OPEN) socket.close(...CloseReasons.internalError);
    },
  });

  app.get<{ Querystring: Credentials }>(
    '/ws',
    { websocket: true, schema: { querystring: { type: 'object', properties: { token: tokenParam, reconnect: tokenParam } } } },
    (socket, req) => acceptGameSocket(socket, req.query, { rooms, tokens, clock, traffic: metrics.traffic }),
  );

  stopHeartbeat = startHeartbeat(app.websocketServer, heartbeatMs);
});
