import { join, resolve } from 'node:path';
import { ConversationState as BotConversationState, type CloudAdapter } from 'botbuilder';
import { createBotAdapter } from './bot/adapter.js';
import { ChannelAdapters } from './bot/channel-adapters.js';
import { ComplaintBot } from './bot/complaint-bot.js';
import { DeliveryDedupe } from './bot/delivery-dedupe.js';
import { PendingDeliveries } from './bot/pending-deliveries.js';
import { ProactiveTurns } from './bot/proactive-turns.js';
import { TranscriptMiddleware } from './bot/transcript-middleware.js';
import { AgentPresence } from './handoff/agent-presence.js';
import { HandoffService } from './handoff/handoff-service.js';
import { ServiceHours } from './handoff/service-hours.js';
import { TranscriptStore } from './transcripts/transcript-store.js';
import { createCarrier, type CarrierPort } from './carrier/index.js';
import type { Config } from './config.js';
import { loadCommonContent, type CommonContent } from './engine/common-content.js';
import type { ComplaintConversation } from './engine/conversation.js';
import { FlowCatalog } from './engine/flow-catalog.js';
import { createConversation } from './engine/index.js';
import { OutcomeLog } from './engine/outcome-log.js';
import type { Logger } from './logger.js';
import { loadRecognizerForServer } from './nlu/background-training.js';
import type { Recognizer } from './nlu/index.js';
import { RecognizerSlot } from './nlu/recognizer-slot.js';
import type { Credentials } from './server/auth.js';
import { MongoBotStorage } from './storage/bot-state-storage.js';
import { connectStorage, type StorageConnection } from './storage/connection.js';
import { TicketService } from './tickets/service.js';

export interface Services {
  storage: StorageConnection;
  tickets: TicketService;
  carrier: CarrierPort;
  nlu: RecognizerSlot;
  credentials: Credentials;
  content: CommonContent;
  conversation: ComplaintConversation;
  outcomes: OutcomeLog;
  transcripts: TranscriptStore;
  presence: AgentPresence;
  handoff: HandoffService;
  bot: ComplaintBot;
  adapter: CloudAdapter;
  /** Where this service's own channels (web page, WeChat) register their adapters. */
  channels: ChannelAdapters;
  /** Messages a channel could not deliver, sent with the customer's next turn. */
  pending: PendingDeliveries;
  close(): Promise<void>;
}

const OUTBOX_FLUSH_INTERVAL_MS = 60_000;
const INIT_RETRY_MS = 5_000;
/** How often waiting customers are checked against HANDOFF_TIMEOUT_MIN. */
const HANDOFF_SWEEP_MS = 15_000;

export type ServiceConfig = Pick<
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
  | 'PLAN_SPEED_SHARE'
  | 'SERVICE_HOURS'
  | 'HANDOFF_TIMEOUT_MIN'
  | 'HANDOFF_MODE'
  | 'TRANSCRIPT_RETENTION_DAYS'
  | 'MicrosoftAppId'
  | 'MicrosoftAppPassword'
  | 'MicrosoftAppType'
  | 'MicrosoftAppTenantId'
>;

export interface ServiceOverrides {
  /** Tests load a recognizer trained on a small corpus instead of the product model. */
  loadNlu?: () => Promise<Recognizer>;
  /** Tests run the flows from another directory. */
  dialogsDir?: string;
}

/**
 * Builds everything the HTTP app and the bot share, in dependency order. Content (flows, replies) and
 * the back office are checked first so that a broken flow or fixtures file stops start-up before
 * storage is touched.
 */
export async function buildServices(config: ServiceConfig, logger: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const catalog = await FlowCatalog.load(overrides.dialogsDir, { plan_share: config.PLAN_SPEED_SHARE });
  const content = loadCommonContent(overrides.dialogsDir);
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
  const outcomes = new OutcomeLog(storage.db, logger);
  const dedupe = new DeliveryDedupe(storage.db);
  const botStorage = new MongoBotStorage(storage.db);
  const transcripts = new TranscriptStore(storage.db, config.TRANSCRIPT_RETENTION_DAYS, logger);
  const pending = new PendingDeliveries(storage.db);
  const presence = new AgentPresence(storage.db);
  const handoff = new HandoffService({
    db: storage.db,
    presence,
    hours: new ServiceHours(config.SERVICE_HOURS),
    timeoutMinutes: config.HANDOFF_TIMEOUT_MIN,
    transcripts,
    tickets,
    carrier,
    logger,
  });

  // Indexes are created in the background and retried: a MongoDB that is down at start-up must not
  // keep the service (and its polite answers) from starting. The outbox is replayed once they exist.
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  const initialise = (): void => {
    Promise.all([tickets.init(), outcomes.init(), dedupe.init(), botStorage.init(), transcripts.init(), pending.init(), handoff.init()])
      .then(() => flush())
      .catch((err: unknown) => {
        if (closed) return;
        logger.warn({ err }, 'storage set-up failed; retrying');
        const retry = setTimeout(initialise, INIT_RETRY_MS);
        retry.unref();
        timers.push(retry);
      });
  };
  const flush = (): void => {
    tickets.flushOutbox().catch((err: unknown) => logger.warn({ err }, 'ticket outbox flush failed'));
  };
  initialise();
  const flushTimer = setInterval(flush, OUTBOX_FLUSH_INTERVAL_MS);
  flushTimer.unref();
  timers.push(flushTimer);
  const sweepTimer = setInterval(() => {
    handoff.sweep().catch((err: unknown) => logger.warn({ err }, 'hand-off timeout sweep failed'));
  }, HANDOFF_SWEEP_MS);
  sweepTimer.unref();
  timers.push(sweepTimer);

  const training = new AbortController();
  const nluLog = (msg: string): void => logger.info({ component: 'nlu' }, msg);
  const loading =
    overrides.loadNlu?.() ??
    loadRecognizerForServer(config.NLU_MODEL_PATH ?? join(resolve(config.DATA_DIR), 'nlu-model.json'), nluLog, training.signal);
  loading.catch((err: unknown) => {
    if (!closed) logger.error({ err, component: 'nlu' }, 'language model failed to load');
  });
  const nlu = new RecognizerSlot(loading);

  const conversation = createConversation({ serviceHours: config.SERVICE_HOURS, catalog, content, carrier, tickets, outcomes, logger });
  const adapter = createBotAdapter(config, content.texts, logger.child({ component: 'bot' }));
  const transcriptMiddleware = new TranscriptMiddleware(transcripts);
  adapter.use(transcriptMiddleware);
  const channels = new ChannelAdapters(adapter, config.MicrosoftAppId ?? '', [transcriptMiddleware], adapter.onTurnError);
  const bot = new ComplaintBot({
    conversationState: new BotConversationState(botStorage),
    conversation,
    nlu,
    dedupe,
    transcripts,
    pending,
    handoff,
    handoffMode: config.HANDOFF_MODE,
    channels,
    texts: content.texts,
    logger: logger.child({ component: 'bot' }),
  });
  handoff.connect(new ProactiveTurns(bot, conversation));

  return {
    storage,
    nlu,
    tickets,
    carrier,
    content,
    conversation,
    outcomes,
    transcripts,
    presence,
    handoff,
    bot,
    adapter,
    channels,
    pending,
    credentials: { adminToken: config.ADMIN_TOKEN, agents: config.AGENT_TOKENS },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      training.abort();
      await storage.close();
    },
  };
}
