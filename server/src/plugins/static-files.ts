/** The built browser client (client/dist, or CLIENT_DIR), served when it exists. */
import { existsSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

export interface StaticFilesOptions {
  root: string;
}

export const staticFiles: FastifyPluginAsync<StaticFilesOptions> = async (app, { root }) => {
  if (existsSync(root)) await app.register(fastifyStatic, { root, index: ['index.html'] });
};
