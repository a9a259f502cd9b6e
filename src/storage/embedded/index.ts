import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog.js';
import { CursorManager } from './cursors.js';
import { acquireDataDirLock } from './lock.js';
import { WireServer } from './server.js';
import { silentLogger, type EmbeddedLogger } from './types.js';

export type { EmbeddedLogger } from './types.js';

export interface EmbeddedMongo {
  uri: string;
  port: number;
  close(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: pick a free port. */
  port?: number;
  logger?: EmbeddedLogger;
  /** How often TTL indexes are enforced and idle cursors reaped; mongod's TTL monitor runs every 60 s. */
  ttlMonitorIntervalMs?: number;
}

function uriHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Start an in-process MongoDB-wire-compatible server persisting under `dataDir`. */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const dataDir = path.resolve(opts.dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  const releaseLock = await acquireDataDirLock(dataDir);
  let catalog: Catalog;
  try {
    catalog = await Catalog.open(dataDir, logger);
  } catch (err) {
    await releaseLock();
    throw err;
  }
  const cursors = new CursorManager();
  const server = new WireServer({ catalog, cursors, logger });
  let port: number;
  try {
    port = await server.listen(host, opts.port ?? 0);
  } catch (err) {
    await catalog.close();
    await releaseLock();
    throw err;
  }

  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    const now = Date.now();
    cursors.sweep(now);
    void catalog.sweepTtl(now).finally(() => {
      sweeping = false;
    });
  }, opts.ttlMonitorIntervalMs ?? 60_000);
  timer.unref();

  const uri = `mongodb://${uriHost(host)}:${port}/?directConnection=true`;
  logger.info({ uri, dataDir }, 'embedded MongoDB listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(timer);
      await server.close();
      cursors.clear();
      await catalog.close();
      await releaseLock();
      logger.info({ dataDir }, 'embedded MongoDB closed');
    })();
    return closing;
  };
  return { uri, port, close };
}
