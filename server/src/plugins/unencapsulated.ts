/**
 * What fastify-plugin does, without the dependency: a plugin marked `skip-override` runs in its
 * parent's context, so its hooks and decorations (the game socket's `websocketServer`, the origin
 * check) apply to the whole app instead of staying inside the plugin.
 */
import type { FastifyPluginAsync } from 'fastify';

export function unencapsulated<O extends object>(plugin: FastifyPluginAsync<O>): FastifyPluginAsync<O> {
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
