import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server/app.js';
import { connectStorage, type StorageConnection } from '../../src/storage/connection.js';

export interface RunningApp {
  baseUrl: string;
  storage: StorageConnection;
  stop(): Promise<void>;
}

/** The real restify app on a random loopback port, with storage at `mongodbUri`. */
export async function startApp(mongodbUri: string, dbName: string): Promise<RunningApp> {
  const logger = createLogger('silent');
  const storage = await connectStorage({ mongodbUri, dbName, dataDir: 'unused', logger });
  const server = createApp({ logger, storage });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    storage,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await storage.close();
    },
  };
}
