import type { CloudAdapter } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { ComplaintBot } from '../../bot/complaint-bot.js';
import type { Logger } from '../../logger.js';
import { requestLogger } from '../app.js';

/** The least an activity needs before botbuilder sees it; botbuilder's own answer to worse is a bare 400. */
const activityShape = z.looseObject({
  type: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  serviceUrl: z.string().optional(),
  text: z.string().optional(),
});

const ERROR_NAMES: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 405: 'method_not_allowed' };

/**
 * botbuilder answers its own errors (a rejected token above all) with a bare string; every endpoint of
 * this service answers errors as {error, message}, so the adapter writes through this view of `res`.
 */
function jsonErrors(res: Response): Response {
  let status = 200;
  return new Proxy(res, {
    get(target, property, receiver) {
      if (property === 'status') {
        return (code: number) => {
          status = code;
          return target.status(code);
        };
      }
      if (property === 'send') {
        return (body?: unknown) => {
          if (status >= 400 && (typeof body === 'string' || body === undefined)) {
            return target.json(status, { error: ERROR_NAMES[status] ?? 'error', message: typeof body === 'string' && body ? body : 'The request was refused.' });
          }
          return target.send(body);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** POST /api/messages: the Bot Framework endpoint (Emulator, Azure Bot Service channels, expectReplies). */
export function registerMessageRoutes(server: Server, deps: { adapter: CloudAdapter; bot: ComplaintBot; logger: Logger }): void {
  server.post('/api/messages', async (req: Request, res: Response) => {
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      res.json(400, {
        error: 'bad_request',
        message: 'Send a Bot Framework activity as JSON with at least "type" and "conversation.id".',
      });
      return;
    }
    // Every channel names itself; a hand-written request that does not is treated like the Emulator
    // rather than failing on conversation state, which is keyed by channel.
    if (typeof (req.body as { channelId?: unknown }).channelId !== 'string') (req.body as { channelId: string }).channelId = 'emulator';
    try {
      await deps.adapter.process(req, jsonErrors(res), (context) => deps.bot.run(context));
    } catch (err) {
      (requestLogger(req) ?? deps.logger).error({ err }, 'activity processing failed');
      if (!res.headersSent) res.json(500, { error: 'internal', message: 'The message could not be processed.' });
    }
  });
}
