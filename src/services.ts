import { join, resolve } from 'node:path';
import { createCarrier, type CarrierPort } from './carrier/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { loadRecognizerForServer } from './nlu/background-training.js';
import type { Recognizer } from './nlu/index.js';
import { RecognizerSlot } from './nlu/recognizer-slot.js';
import type { Credentials } from './server/auth.js';
import { connectStorage, type StorageConnection } from './storage/connection.js';
import { TicketService } from './tickets/service.js';

export interface Services {
  storage: StorageConnection;
  tickets: TicketService;
  carrier: CarrierPort;
  nlu: RecognizerSlot;
  credentials: Credentials;
  close(): Promise<void>;
}

const OUTBOX_FLUSH_INTERVAL_MS = 60_000;

type ServiceConfig = Pick<
  Config,
  | 'MONGODB_URI'
  | 'MONGODB_DB'
  | 'DATA_DIR'
  | 'ADMIN_TOKEN'
  | 'AGENT_TOKENS'
  | 'CARRIER_FIXTURES'
  | 'CARRIER_URL'
  | 'CARRIER_TIMEOUT_MS'
  | 'NLU_MODEL_PATH'
  | 'TICKET_FIRST_RESPONSE_HOURS'
  | 'TICKET_RESOLVE_HOURS'
>;

/**
 * Builds everything the HTTP app and the bot share, in dependency order. The back office is set up
 * first so that a bad fixtures file stops start-up before storage is touched.
 */
export interface ServiceOverrides {
  /** Tests load a recognizer trained on a small corpus instead of the product model. */
  loadNlu?: () => Promise<Recognizer>;
}

export async function buildServices(config: ServiceConfig, logger: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const carrier = createCarrier({
    fixturesPath: config.CARRIER_FIXTURES,
    url: config.CARRIER_URL,
    timeoutMs: config.CARRIER_TIMEOUT_MS,
  });
  const storage = await connectStorage({
    mongodbUri: config.MONGODB_URI,
    dbName: config.MONGODB_DB,
    dataDir: config.DATA_DIR,
    logger,
  });
  const tickets = new TicketService({
    db: storage.db,
    outboxFile: join(resolve(config.DATA_DIR), 'ticket-outbox.jsonl'),
    firstResponseHours: config.TICKET_FIRST_RESPONSE_HOURS,
    resolveHours: config.TICKET_RESOLVE_HOURS,
    logger,
  });
  await tickets.init();
  const flush = (): void => {
    tickets.flushOutbox().catch((err: unknown) => logger.warn({ err }, 'ticket outbox flush failed'));
  };
  flush();
  const flushTimer = setInterval(flush, OUTBOX_FLUSH_INTERVAL_MS);
  flushTimer.unref();

  const nluLog = (msg: string): void => logger.info({ component: 'nlu' }, msg);
  const loading =
    overrides.loadNlu?.() ??
    loadRecognizerForServer(config.NLU_MODEL_PATH ?? join(resolve(config.DATA_DIR), 'nlu-model.json'), nluLog);
  loading.catch((err: unknown) => logger.error({ err, component: 'nlu' }, 'language model failed to load'));
  const nlu = new RecognizerSlot(loading);

  return {
    storage,
    nlu,
    tickets,
    carrier,
    credentials: { adminToken: config.ADMIN_TOKEN, agents: config.AGENT_TOKENS },
    async close() {
      clearInterval(flushTimer);
      await storage.close();
    },
  };
}
