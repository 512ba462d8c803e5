/**
 * What operators poll: GET /health (up, rooms of this process, uptime; in a cluster also which
 * node this is and what it sees of the cluster), GET /health/ready (503 while this process takes
 * no new players: shutting down, or a cluster node draining or out of touch with Redis; a
 * readiness probe) and GET /metrics (Prometheus text, which has no JSON schema to declare).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../clock';
import type { Metrics } from '../metrics';
import type { RoomDirectory } from '../rooms/directory';
import type { RoomHost } from '../rooms/host';

export interface OpsOptions {
  rooms: RoomHost;
  metrics: Metrics;
  clock: Clock;
  directory: RoomDirectory;
  /** A cluster node's id. */
  nodeId?: string | undefined;
}

const health = {
  type: 'object',
  required: ['status', 'rooms', 'uptimeSeconds'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    rooms: { type: 'integer' },
    uptimeSeconds: { type: 'integer' },
    node: { type: 'string' },
    // docs/scaling.md: this node, whether Redis answers, every live node.
    cluster: { type: 'object', additionalProperties: true },
  },
} as const;

export const ops: FastifyPluginAsync<OpsOptions> = async (app, { rooms, metrics, clock, directory, nodeId }) => {
  app.get('/health', { schema: { response: { 200: health } } }, async () => ({
    status: 'ok' as const,
    rooms: rooms.size,
    uptimeSeconds: Math.round(clock.now() / 1000),
    ...(directory.health && { node: nodeId, cluster: await directory.health() }),
  }));

  app.get('/health/ready', async (_req, reply) => {
    const ready = directory.accepting && directory.ready !== false;
    return reply.status(ready ? 200 : 503).send({ ready });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
