/**
 * What operators poll: GET /health (up, rooms of this process, uptime) and GET /metrics
 * (Prometheus text, which has no JSON schema to declare). /metrics tells player counts and
 * traffic, and computing it cost 1.1 ms of the game thread a scrape (issue 12: 949 scrapes/s kept
 * a core busy): it answers only `authorization: Bearer <METRICS_TOKEN>`, or without a token only
 * peers on loopback that came through no proxy (no X-Forwarded-For/Forwarded), 401 otherwise;
 * and its text is computed at most once a second (METRICS_CACHE_MS), so scrapes cost a copy.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Errors } from '../errors';
import type { Clock } from '../clock';
import type { Metrics } from '../metrics';
import type { RoomHost } from '../rooms/host';

export interface OpsOptions {
  rooms: RoomHost;
  metrics: Metrics;
  clock: Clock;
  /** undefined: loopback peers only. */
  metricsToken?: string | undefined;
}

/** How long one computation of the metrics text serves scrapes. */
export const METRICS_CACHE_MS = 1000;

const health = {
  type: 'object',
  required: ['status', 'rooms', 'uptimeSeconds'],
  properties: { status: { type: 'string', enum: ['ok'] }, rooms: { type: 'integer' }, uptimeSeconds: { type: 'integer' } },
} as const;

export const ops: FastifyPluginAsync<OpsOptions> = async (app, { rooms, metrics, clock, metricsToken }) => {
  app.get('/health', { schema: { response: { 200: health } } }, async () => ({
    status: 'ok',
    rooms: rooms.size,
    uptimeSeconds: Math.round(clock.now() / 1000),
  }));

  let cached: { text: Promise<string>; at: number } | undefined;
  app.get('/metrics', async (req, reply) => {
    if (!mayScrape(req, metricsToken)) {
      reply.header('www-authenticate', 'Bearer');
      throw Errors.metricsUnauthorized();
    }
    const now = Date.now();
    if (!cached || now - cached.at >= METRICS_CACHE_MS) cached = { text: metrics.registry.metrics(), at: now };
    reply.header('content-type', metrics.registry.contentType);
    return cached.text;
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
