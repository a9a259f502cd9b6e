/**
 * Run the embedded server as its own process:
 *   tsx src/storage/embedded/standalone.ts --data-dir DIR [--port N] [--host H]
 * Prints one JSON line {"uri","port"} on stdout once it accepts connections; logs go to stderr so
 * stdout stays machine-readable for whoever spawned us.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startEmbeddedMongo } from './index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) {
    process.stderr.write('usage: standalone.ts --data-dir DIR [--port N] [--host H]\n');
    process.exit(2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port ${String(values.port)}\n`);
    process.exit(2);
  }
  const logger = pino({ name: 'embedded-mongo' }, pino.destination({ dest: 2, sync: true }));
  const server = await startEmbeddedMongo({ dataDir, port, host: values.host, logger });
  process.stdout.write(`${JSON.stringify({ uri: server.uri, port: server.port })}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping embedded MongoDB');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping embedded MongoDB');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded MongoDB failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
