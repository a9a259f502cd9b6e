import { CarrierConfigError } from './carrier/index.js';
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { createApp } from './server/app.js';
import { buildServices } from './services.js';
import { version } from './version.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const services = await buildServices(config, logger);
  const { storage } = services;
  const server = createApp({ logger, config, ...services });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, resolve);
    });
  } catch (err) {
    await services.close().catch(() => undefined);
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new Error(inUse ? `port ${config.PORT} is already in use (set PORT to another one)` : String(err));
  }
  const address = server.address();
  logger.info({ port: address.port, storage: storage.kind, version }, 'complaint desk listening');
  if (storage.kind === 'embedded') {
    // Its files belong to this process: a second node would have its own, separate data.
    logger.warn('embedded storage serves one node only; set MONGODB_URI to run several nodes');
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // close() stops accepting and waits for in-flight requests; idle keep-alive sockets are dropped.
    server.server.closeIdleConnections?.();
    server.close(() => {
      services
        .close()
        .then(() => {
          logger.info('stopped');
          logger.flush();
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'storage did not close cleanly');
          process.exit(1);
        });
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof CarrierConfigError) {
    process.stderr.write(`Configuration error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
