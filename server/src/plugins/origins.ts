/**
 * The browser origin policy for every route (the game socket's upgrade included): pages from
 * origins not in ALLOWED_ORIGINS get 403 TF_ERR_ORIGIN_NOT_ALLOWED; allowed pages on other origins
 * may call the API (CORS; an upgrade needs none). Not encapsulated: it guards the whole app.
 */
import fastifyCors from '@fastify/cors';
import { Errors } from '../errors';
import { OriginPolicy } from '../origin-policy';
import { unencapsulated } from './unencapsulated';

export interface OriginsOptions {
  allowedOrigins: string[] | undefined;
  /** In a cluster: whether an origin is a page of one of the cluster's nodes (allowed like our own). */
  isClusterOrigin?: ((origin: string) => Promise<boolean>) | undefined;
}

export const origins = unencapsulated<OriginsOptions>(async (app, { allowedOrigins, isClusterOrigin }) => {
  const policy = new OriginPolicy(allowedOrigins);
  app.addHook('onRequest', async (req) => {
    const origin = req.headers.origin;
    if (policy.allows(origin, req.headers.host) || (isClusterOrigin && (await isClusterOrigin(origin!)))) return;
    throw Errors.originNotAllowed(origin ?? '');
  });
  await app.register(fastifyCors, { origin: allowedOrigins ?? true, methods: ['GET', 'POST'] });
});
