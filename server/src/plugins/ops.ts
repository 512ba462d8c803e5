/**
 * What operators poll: GET /health (up, rooms of this process, uptime) and GET /metrics
 * (Prometheus text, which has no JSON schema to declare).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../clock';
import type { Metrics } from '../metrics';
import type { RoomHost } from '../rooms/host';

export interface OpsOptions {
  rooms: RoomHost;
  metrics: Metrics;
  clock: Clock;
}

const health = {
  type: 'object',
  required: ['status', 'rooms', 'uptimeSeconds'],
  properties: { status: { type: 'string', enum: ['ok'] }, rooms: { type: 'integer' }, uptimeSeconds: { type: 'integer' } },
} as const;

export const ops: FastifyPluginAsync<OpsOptions> = async (app, { rooms, metrics, clock }) => {
  app.get('/health', { schema: { response: { 200: health } } }, async () => ({
    status: 'ok',
    rooms: rooms.size,
    uptimeSeconds: Math.round(clock.now() / 1000),
  }));

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
