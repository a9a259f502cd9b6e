import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { Logger } from '../logger.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded/index.js';

export type StorageKind = 'embedded' | 'mongodb';

export interface StorageConnection {
  kind: StorageKind;
  client: MongoClient;
  db: Db;
  /** Resolves true when the server answers a ping within the timeout. */
  isReachable(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface StorageOptions {
  mongodbUri?: string;
  dbName: string;
  dataDir: string;
  logger: Logger;
}

/**
 * One persistence path: the official driver, talking either to the configured MongoDB or to the
 * embedded wire-compatible server started here (no mongod binary exists on our machines).
 */
export async function connectStorage(opts: StorageOptions): Promise<StorageConnection> {
  let embedded: EmbeddedMongo | undefined;
  if (!opts.mongodbUri) {
    const dataDir = resolve(opts.dataDir, 'mongo');
    await mkdir(dataDir, { recursive: true });
    embedded = await startEmbeddedMongo({ dataDir, logger: opts.logger.child({ component: 'embedded-mongo' }) });
  }
  const uri = opts.mongodbUri ?? (embedded as EmbeddedMongo).uri;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000, appName: 'complaint-desk' });
  if (embedded) {
    try {
      await client.connect();
    } catch (err) {
      await embedded.close();
      throw err;
    }
  } else {
    // An external MongoDB that is down must not stop start-up: the service answers customers politely
    // (tickets wait in the outbox) and the driver connects on the first operation once it is back.
    client.connect().catch((err: unknown) => opts.logger.warn({ err }, 'MongoDB is not reachable yet; continuing'));
  }
  const kind: StorageKind = embedded ? 'embedded' : 'mongodb';
  opts.logger.info({ storage: kind }, 'storage connected');
  const db = client.db(opts.dbName);
  let closed = false;

  return {
    kind,
    client,
    db,
    async isReachable(timeoutMs = 2_000) {
      if (closed) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((res) => {
        timer = setTimeout(() => res(false), timeoutMs);
      });
      const ping = db
        .command({ ping: 1 }, { timeoutMS: timeoutMs })
        .then(() => true)
        .catch(() => false);
      try {
        return await Promise.race([ping, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      await embedded?.close();
    },
  };
}
