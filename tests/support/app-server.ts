import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { loadRecognizer } from '../../src/nlu/index.js';
import { tinyCorpus } from '../nlu/support/tiny-corpus.js';
import { createApp } from '../../src/server/app.js';
import { buildServices, type Services } from '../../src/services.js';

export interface RunningApp {
  baseUrl: string;
  services: Services;
  stop(): Promise<void>;
}

/** The real restify app and services on a random loopback port, with storage at `mongodbUri`. */
export interface AppOptions {
  /** The product model trained by the global setup (conversation tests); default a tiny corpus. */
  productNlu?: boolean;
}

export async function startApp(mongodbUri: string, dbName: string, env: Record<string, string> = {}, opts: AppOptions = {}): Promise<RunningApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'app-'));
  const config = loadConfig({ MONGODB_URI: mongodbUri, MONGODB_DB: dbName, DATA_DIR: dataDir, ...env });
  const logger = createLogger('silent');
  // A small corpus keeps app tests fast; the product model's quality is tested in tests/nlu.
  const corpusDir = tinyCorpus();
  const productModel = opts.productNlu ? inject('productModelPath') : undefined;
  const loadNlu = () =>
    productModel ? loadRecognizer({ modelPath: productModel }) : loadRecognizer({ corpusDir, modelPath: join(dataDir, 'nlu-model.json') });
  const services = await buildServices(config, logger, { loadNlu });
  const server = createApp({ logger, config, ...services });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await services.nlu.ready();
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    services,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(corpusDir, { recursive: true, force: true });
    },
  };
}
