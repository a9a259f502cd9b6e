import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { HandoffConflictError, HandoffNotFoundError } from '../../handoff/errors.js';
import type { AgentPresence } from '../../handoff/agent-presence.js';
import type { HandoffService } from '../../handoff/handoff-service.js';
import type { Logger } from '../../logger.js';
import { isStorageUnavailable } from '../../tickets/errors.js';
import { principalOf, requireRole, type Credentials, type Principal } from '../auth.js';
import { BadRequest, bodyOf, fail, parse } from '../route-helpers.js';

export interface HandoffRouteDeps {
  handoff: HandoffService;
  presence: AgentPresence;
  credentials: Credentials;
  logger: Logger;
}

const statusBody = z.object({ status: z.enum(['online', 'offline']) }).strict();
const messageBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
const closeBody = z.object({ resolution: z.string().trim().max(1000).optional() }).strict();
const transcriptQuery = z.object({ after: z.coerce.number().int().nonnegative().optional() });
const CONVERSATION_ID = /^[\w:.@|-]{1,256}$/;

/** The agent desk API (agent token; the admin may watch and read but does not take conversations). */
export function registerHandoffRoutes(server: Server, deps: HandoffRouteDeps): void {
  const agentOnly = requireRole(deps.credentials, ['agent']);
  const agentOrAdmin = requireRole(deps.credentials, ['agent', 'admin']);

  const answer =
    (handler: (req: Request, res: Response, who: Principal) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      const who = principalOf(req);
      if (!who) return fail(res, 401, 'unauthorized', 'A valid bearer token is required.');
      try {
        // Every call from a desk shows its agent is still there (presence expires otherwise).
        if (who.role === 'agent') await deps.presence.seen(who.name);
        const id = req.params.conversationId as string | undefined;
        if (id !== undefined && !CONVERSATION_ID.test(id)) return fail(res, 404, 'not_found', 'No such conversation.');
        await handler(req, res, who);
      } catch (err) {
        if (err instanceof BadRequest) return fail(res, 400, 'bad_request', err.message);
        if (err instanceof HandoffNotFoundError) return fail(res, 404, 'not_found', err.message);
        if (err instanceof HandoffConflictError) return fail(res, 409, 'conflict', err.message);
        if (isStorageUnavailable(err)) return fail(res, 503, 'storage_unavailable', 'Storage is unreachable; try again shortly.');
        deps.logger.error({ err, path: req.getPath() }, 'hand-off route failed');
        return fail(res, 500, 'internal', 'The request could not be completed.');
      }
    };

  server.put(
    '/api/agent/status',
    agentOnly,
    answer(async (req, res, who) => {
      const { status } = parse(statusBody, bodyOf(req), 'body');
      await deps.presence.set(who.name, status);
      res.json(200, { agent: who.name, status });
    }),
  );

  server.get(
    '/api/handoff/queue',
    agentOrAdmin,
    answer(async (_req, res) => {
      res.json(200, await deps.handoff.queue());
    }),
  );

  server.post(
    '/api/handoff/:conversationId/accept',
    agentOnly,
    answer(async (req, res, who) => {
      res.json(200, await deps.handoff.accept(String(req.params.conversationId), who.name));
    }),
  );

  server.get(
    '/api/handoff/:conversationId/transcript',
    agentOrAdmin,
    answer(async (req, res) => {
      const params = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
      const { after } = parse(transcriptQuery, params, 'query');
      res.json(200, { transcript: await deps.handoff.transcript(String(req.params.conversationId), after) });
    }),
  );

  server.post(
    '/api/handoff/:conversationId/messages',
    agentOnly,
    answer(async (req, res, who) => {
      const { text } = parse(messageBody, bodyOf(req), 'body');
      await deps.handoff.message(String(req.params.conversationId), who.name, text);
      res.json(200, { delivered: true });
    }),
  );

  server.post(
    '/api/handoff/:conversationId/close',
    agentOnly,
    answer(async (req, res, who) => {
      const { resolution } = parse(closeBody, bodyOf(req), 'body');
      await deps.handoff.close(String(req.params.conversationId), who.name, resolution);
      res.json(200, { closed: true });
    }),
  );
}
