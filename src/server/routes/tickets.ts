import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { isStorageUnavailable, TicketError } from '../../tickets/errors.js';
import { MAX_LIST_LIMIT, type TicketService } from '../../tickets/service.js';
import { INTENTS } from '../../nlu/taxonomy.js';
import { PRIORITIES, STATUSES, TICKET_CATEGORIES, type TicketPatch } from '../../tickets/types.js';
import type { TranscriptStore } from '../../transcripts/transcript-store.js';
import { principalOf, requireRole, type Credentials } from '../auth.js';
import { BadRequest, bodyOf, fail, parse } from '../route-helpers.js';

export interface TicketRouteDeps {
  tickets: Pick<TicketService, 'list' | 'findByNumber' | 'updateTicket' | 'openTicket'>;
  credentials: Credentials;
  /** Re-categorised tickets send their conversation's turns to the review queue. */
  transcripts: Pick<TranscriptStore, 'markRecategorised'>;
  logger: Logger;
}

const field = (max: number) => z.string().trim().min(1).max(max);

const listQuery = z.object({
  conversationId: field(256).optional(),
  account: field(64).optional(),
  status: z.enum(STATUSES).optional(),
  category: z.enum(TICKET_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
});

const patchBody = z
  .object({
    status: z.enum(STATUSES).optional(),
    assignee: field(64).nullable().optional(),
    intent: z.enum(INTENTS).optional(),
    note: field(1000).optional(),
  })
  .strict();

/** An agent opening a ticket for the conversation they handle (repeat complaints fold in as usual). */
const openBody = z
  .object({
    conversationId: field(256),
    channel: field(64).default('agent'),
    account: field(64).optional(),
    intent: z.enum(INTENTS),
    category: z.enum(TICKET_CATEGORIES),
    priority: z.enum(PRIORITIES).optional(),
    summary: field(2000),
    contactPhone: field(32).optional(),
  })
  .strict();

// Real numbers and provisional references; anything else cannot exist, so it need not reach storage.
const NUMBER_PARAM = /^KDP?\d{8}-[0-9A-Z]{4,}$/i;

/** Agent desk API over tickets: thin, every decision is the ticket service's. */
export function registerTicketRoutes(server: Server, deps: TicketRouteDeps): void {
  const guard = requireRole(deps.credentials, ['admin', 'agent']);

  const answer =
    (handler: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await handler(req, res);
      } catch (err) {
        if (err instanceof BadRequest) return fail(res, 400, 'bad_request', err.message);
        if (err instanceof TicketError) return fail(res, err.status, err.code, err.message);
        if (isStorageUnavailable(err)) {
          return fail(res, 503, 'storage_unavailable', 'Ticket storage is unreachable; try again shortly.');
        }
        deps.logger.error({ err, path: req.getPath() }, 'ticket route failed');
        return fail(res, 500, 'internal', 'The request could not be completed.');
      }
    };

  server.get(
    '/api/tickets',
    guard,
    answer(async (req, res) => {
      const params = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
      const { limit, ...filter } = parse(listQuery, params, 'query');
      res.json(200, { tickets: await deps.tickets.list(filter, limit) });
    }),
  );

  server.post(
    '/api/tickets',
    guard,
    answer(async (req, res) => {
      const body = parse(openBody, bodyOf(req), 'body');
      const principal = principalOf(req);
      const { contactPhone, ...input } = body;
      const result = await deps.tickets.openTicket({
        ...input,
        ...(contactPhone ? { contactPhone } : {}),
        evidence: { steps: [{ step: `由客服 ${principal?.name ?? ''} 登记`, outcome: '人工受理' }] },
      });
      if (result.queued) return res.json(202, { reference: result.reference });
      res.json(result.repeat ? 200 : 201, { ticket: result.ticket, repeat: result.repeat });
    }),
  );

  server.get(
    '/api/tickets/:number',
    guard,
    answer(async (req, res) => {
      const number = String(req.params.number ?? '');
      const ticket = NUMBER_PARAM.test(number) ? await deps.tickets.findByNumber(number) : undefined;
      if (!ticket) return fail(res, 404, 'not_found', `Ticket ${number} was not found.`);
      res.json(200, { ticket });
    }),
  );

  server.patch(
    '/api/tickets/:number',
    guard,
    answer(async (req, res) => {
      const number = String(req.params.number ?? '');
      const patch: TicketPatch = parse(patchBody, bodyOf(req), 'body');
      const principal = principalOf(req);
      if (!principal) return fail(res, 401, 'unauthorized', 'A valid bearer token is required.');
      if (!NUMBER_PARAM.test(number)) return fail(res, 404, 'not_found', `Ticket ${number} was not found.`);
      const ticket = await deps.tickets.updateTicket(number, patch, principal);
      const recategorised = patch.intent ? [...ticket.history].reverse().find((h) => h.action === 'recategorise') : undefined;
      if (recategorised?.from && recategorised.to && recategorised.to === patch.intent) {
        // The NLU got this conversation wrong: its turns become review items (best effort: the ticket is already changed).
        await deps.transcripts
          .markRecategorised(ticket.conversationId, recategorised.from, recategorised.to)
          .catch((err: unknown) => deps.logger.warn({ err }, 'could not queue a re-categorised conversation for review'));
      }
      res.json(200, { ticket });
    }),
  );
}
