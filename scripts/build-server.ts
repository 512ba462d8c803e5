/**
 * `npm run build:server` (and part of `npm run build`): bundles server/src/main.ts with esbuild
 * into server/dist/main.js, which `npm start` and the bench run with plain `node`. The tsx loader
 * that dev, tests and scripts use adds tens of MB of RSS and a loader thread to a process
 * (../shared/handbook/FACTS.md); a bundle needs neither, and esbuild makes it in well under a second.
 *
 * Our workspaces (@tickforge/shared, @tickforge/server) are TypeScript sources, so they are inlined;
 * every npm dependency stays external and is loaded from node_modules as under tsx. The bundle sits
 * two folders below the root like server/src/app.ts, so app.ts's `new URL('../../client/dist',
 * import.meta.url)` finds the built client from either (server/test/production-build.test.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = join(ROOT, 'server/dist/main.js');

/** The npm dependencies of the workspaces the server runs: left to node_modules. */
function externals(): string[] {
  const deps = new Set<string>();
  for (const ws of ['server', 'shared']) {
    const pkg = JSON.parse(readFileSync(join(ROOT, ws, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies ?? {})) if (!name.startsWith('@tickforge/')) deps.add(name);
  }
  return [...deps];
}

/**
 * Builds the server bundle (and its source map) at `outfile`, and beside it `gateway.js`, the
 * gateway process's entry (server/src/transport/gateway/gateway-process.ts), which the bundle
 * forks when GATEWAYS > 0; returns the bundle's path.
 */
export async function buildServer(outfile = SERVER_BUNDLE): Promise<string> {
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A dependency's subpath (`@fastify/x/y`) is external too.
    external: externals().flatMap((d) => [d, `${d}/*`]),
    // For `NODE_OPTIONS=--enable-source-maps npm start`, whose stack traces then name the .ts
    // lines. Not on by default: Node then holds every module's map (1-14 MB more idle RSS here).
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  } as const;
  await Promise.all([
    build({ ...common, entryPoints: [join(ROOT, 'server/src/main.ts')], outfile }),
    build({ ...common, entryPoints: [join(ROOT, 'server/src/transport/gateway/gateway-process.ts')], outfile: join(dirname(outfile), 'gateway.js') }),
  ]);
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  const out = await buildServer();
  console.log(`built ${out.slice(ROOT.length)} in ${Math.round(performance.now() - t0)} ms`);
}
