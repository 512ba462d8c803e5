/**
 * What operators poll: GET /health (up, rooms of this process, uptime; in a cluster also which
 * node this is and what it sees of the cluster), GET /health/ready (503 while this process takes
 * no new players: shutting down, or a cluster node draining or out of touch with Redis; a
 * readiness probe) and GET /metrics (Prometheus text, which has no JSON schema to declare).
 * /metrics tells player counts and traffic, and computing it cost 1.1 ms of the game thread a
 * scrape (issue 12: 949 scrapes/s kept a core busy): it answers only `authorization: Bearer
 * <METRICS_TOKEN>`, or without a token only peers on loopback that came through no proxy (no
 * X-Forwarded-For/Forwarded), 401 otherwise; and its text is computed at most once a second
 * (METRICS_CACHE_MS), so scrapes cost a copy.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Errors } from '../errors';
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
  /** undefined: loopback peers only. */
  metricsToken?: string | undefined;
}

/**
 * Scrapes computed fresh per second (with a burst of as many): a scraper polling once a second
 * (Prometheus, the loadtest, with its extra final scrape) always gets the figures of the moment it
 * asked, while a flood of scrapes beyond it is served the last computed text, so it costs at most
 * this many computations a second. (A plain 1 s cache made the loadtest's windowed rates and its
 * final byte counts up to a second stale.)
 */
export const METRICS_FRESH_PER_SECOND = 5;

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

export const ops: FastifyPluginAsync<OpsOptions> = async (app, { rooms, metrics, clock, directory, nodeId, metricsToken }) => {
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

  let cached: Promise<string> | undefined;
  let fresh = METRICS_FRESH_PER_SECOND;
  let refilledAt = Date.now();
  app.get('/metrics', async (req, reply) => {
    if (!mayScrape(req, metricsToken)) {
      reply.header('www-authenticate', 'Bearer');
      throw Errors.metricsUnauthorized();
    }
    const now = Date.now();
    fresh = Math.min(METRICS_FRESH_PER_SECOND, fresh + ((now - refilledAt) * METRICS_FRESH_PER_SECOND) / 1000);
    refilledAt = now;
    if (!cached || fresh >= 1) {
      cached = metrics.registry.metrics();
      fresh = Math.max(0, fresh - 1);
    }
    reply.header('content-type', metrics.registry.contentType);
    return cached;
  });
};

function mayScrape(req: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) {
    const peer = req.socket.remoteAddress ?? '';
    const loopback = peer.startsWith('127.') || peer === '::1' || peer.startsWith('::ffff:127.');
    return loopback && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
  }
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.byteLength === expected.byteLength && timingSafeEqual(given, expected);
}
