import { randomUUID } from 'node:crypto';
import restify from 'restify';
import { registerWebChatChannel } from '../channels/directline/index.js';
import { registerWeChatChannel } from '../channels/wechat/index.js';
import type { Logger } from '../logger.js';
import type { AppDeps } from './app-deps.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerAgentPage } from './static-page.js';
import { registerHandoffRoutes } from './routes/handoff.js';
import { registerMessageRoutes } from './routes/messages.js';
import { registerNluRoutes } from './routes/nlu.js';
import { registerTicketRoutes } from './routes/tickets.js';
import { registerDashboardRoutes } from './routes/dashboard.js';
import { registerReviewRoutes } from './routes/review.js';
import { registerTranscriptExportRoutes } from './routes/transcripts-export.js';

const MAX_BODY_BYTES = 1024 * 1024;

const requestLoggers = new WeakMap<restify.Request, Logger>();

/** The per-request child logger (carries the request id), for routes that log. */
export function requestLogger(req: restify.Request): Logger | undefined {
  return requestLoggers.get(req);
}

/** Builds the restify app: middleware and routes only; every route delegates to a service. */
export function createApp(deps: AppDeps): restify.Server {
  const { logger, storage, credentials, tickets, nlu, adapter, bot, handoff, presence } = deps;
  const server = restify.createServer({ name: 'complaint-desk', handleUncaughtExceptions: false });

  server.pre((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    requestLoggers.set(req, logger.child({ requestId }));
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES }));

  // Method, path and status only: bodies and query strings may carry personal data.
  server.on('after', (req: restify.Request, res: restify.Response) => {
    const log = requestLogger(req) ?? logger;
    log.info({ method: req.method, path: req.getPath(), status: res.statusCode, ms: Date.now() - req.time() }, 'request');
  });

  // restify's own error bodies ({code, message}) become the {error, message} shape every route uses.
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: RestifyHttpError, callback: () => void) => {
    err.toJSON = () => ({ error: String(err.body?.code ?? err.name).replace(/Error$/, ''), message: err.message });
    return callback();
  });

  registerHealthRoutes(server, storage, nlu);
  registerNluRoutes(server, { nlu, credentials });
  registerTicketRoutes(server, { tickets, credentials, logger, transcripts: deps.transcripts });
  registerMessageRoutes(server, { adapter, bot, logger });
  registerHandoffRoutes(server, { handoff, presence, credentials, logger });
  registerAgentPage(server);
  registerWebChatChannel(server, deps);
  registerWeChatChannel(server, deps);
  registerTranscriptExportRoutes(server, deps);
  registerReviewRoutes(server, deps);
  registerDashboardRoutes(server, deps);
  return server;
}

type RestifyHttpError = Error & { body?: { code?: string }; toJSON?: () => unknown };
