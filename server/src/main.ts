/**
 * `npm start`: configure from the environment, listen, print the URL, shut down gracefully.
 */
import { stat } from 'node:fs/promises';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { drainThenShutDown } from './drain';
import { shutDown } from './shutdown';
import { lowerThreads } from './thread-priority';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await buildApp({ config });
  const address = await app.listen({ host: config.host, port: config.port });
  // libuv starts its thread pool on first use: start it, then put every thread but this one below it.
  await stat(process.cwd());
  const lowered = lowerThreads(config.helperThreadNiceness, 'helpers');
  app.log.info({ threads: lowered, niceness: config.helperThreadNiceness }, 'helper threads below the event loop');
  const url = address.replace('[::1]', 'localhost');
  console.log(`Tickforge is up: open ${url} in a browser (health: ${url}/health, metrics: ${url}/metrics)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // A cluster node drains first (DRAIN_TIMEOUT_SECONDS); then exit within 5 s whatever happens
    // (shutDown itself is bounded well below this).
    const drainMs = config.drainTimeoutSeconds * 1000;
    setTimeout(() => {
      app.log.error(`shutdown did not finish in ${(drainMs + 4500) / 1000} s; exiting`);
      process.exit(1);
    }, drainMs + 4500).unref();
    (drainMs > 0 ? drainThenShutDown(app, drainMs) : shutDown(app)).then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
