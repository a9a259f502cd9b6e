import path from 'node:path';
import type restify from 'restify';
import { z } from 'zod';
import { ReviewAlreadyImported, ReviewNotFound, ReviewQueue } from '../../review/review-queue.js';
import { carrierHolders } from '../../transcripts/export-holders.js';
import { requestLogger } from '../app.js';
import type { AppDeps } from '../app-deps.js';
import { principalOf, requireRole } from '../auth.js';
import { BadRequest, bodyOf, fail, parse } from '../route-helpers.js';
import { registerStaticPage, WEB_DIR } from '../static-page.js';

const INIT_RETRY_MS = 5_000;
const decisionBody = z
  .object({ action: z.enum(['label', 'skip', 'unusable']), intent: z.string().trim().min(1).max(64).optional() })
  .strict();

/**
 * The review queue for the team that improves the bot (admin token): GET /api/review/queue,
 * POST /api/review/items/:id with a decision, and the /review page.
 */
export function registerReviewRoutes(server: restify.Server, deps: AppDeps): void {
  const queue = new ReviewQueue(deps.storage.db);
  // Per request: carrierHolders caches every answer (a miss too, when the back office is down), which
  // suits one request, not the life of the service.
  const withHolders = () => new ReviewQueue(deps.storage.db, carrierHolders(deps.carrier));
  const initialise = (): void => {
    queue.init().catch((err: unknown) => {
      deps.logger.warn({ err }, 'review queue set-up failed; retrying');
      setTimeout(initialise, INIT_RETRY_MS).unref();
    });
  };
  initialise();
  const admin = requireRole(deps.credentials, ['admin']);
  const unavailable = (req: restify.Request, res: restify.Response, err: unknown): void => {
    (requestLogger(req) ?? deps.logger).error({ err }, 'review queue failed');
    fail(res, 503, 'unavailable', 'Storage is unavailable; please try again shortly.');
  };

  server.get('/api/review/queue', admin, async (req: restify.Request, res: restify.Response) => {
    const raw = Number((req.query as Record<string, string> | undefined)?.limit ?? 20);
    const limit = Number.isInteger(raw) && raw >= 1 && raw <= 100 ? raw : 20;
    try {
      res.json(200, await withHolders().pending(limit));
    } catch (err) {
      unavailable(req, res, err);
    }
  });

  server.post('/api/review/items/:id', admin, async (req: restify.Request, res: restify.Response) => {
    try {
      const decision = parse(decisionBody, bodyOf(req), 'decision');
      const recorded = await withHolders().decide(String(req.params.id), decision, principalOf(req)?.name ?? 'admin');
      res.json(200, { decision: { id: recorded._id, action: recorded.action, intent: recorded.intent, text: recorded.text } });
    } catch (err) {
      if (err instanceof BadRequest || err instanceof RangeError) return fail(res, 400, 'bad_request', err.message);
      if (err instanceof ReviewNotFound) return fail(res, 404, 'not_found', err.message);
      if (err instanceof ReviewAlreadyImported) return fail(res, 409, 'already_imported', err.message);
      unavailable(req, res, err);
    }
  });

  registerStaticPage(server, { mount: '/review', dir: path.join(WEB_DIR, 'review') });
}
