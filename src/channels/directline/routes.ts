/**
 * Direct Line 3.0 (polling) under /v3/directline, as Microsoft's Web Chat (botframework-directlinejs)
 * speaks it: start or resume a conversation, post an activity, poll with a watermark, refresh the token.
 *
 * The poll answers 200 whenever it can: the client stops polling for good on any status but 403
 * (expired token: it waits for a new one) and 404 (conversation ended), and also when its request times
 * out (20 s), so a database fault or a database that does not answer at all gets an empty set with the
 * watermark unchanged within POLL_DEADLINE_MS, and the next poll tries again.
 */
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { ComplaintBot } from '../../bot/complaint-bot.js';
import type { Logger } from '../../logger.js';
import { requestLogger } from '../../server/app.js';
import { BadRequest, bodyOf, fail, parse } from '../../server/route-helpers.js';
import type { ActivityLog } from './activity-log.js';
import { BOT_ACCOUNT, CHANNEL_ID, type DirectLineAdapter } from './adapter.js';
import type { TokenSigner } from './tokens.js';

export interface DirectLineDeps {
  log: ActivityLog;
  tokens: TokenSigner;
  adapter: DirectLineAdapter;
  bot: ComplaintBot;
  logger: Logger;
}

const BASE = '/v3/directline';
/** Well inside botframework-directlinejs's 20 s request timeout, after which it would stop polling. */
const POLL_DEADLINE_MS = 8_000;
/** What Web Chat may post: a message (text, suggested-action values) or an event; the rest is ignored. */
const postedActivity = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(200_000).optional(),
  name: z.string().max(200).optional(),
  value: z.unknown().optional(),
  locale: z.string().max(20).optional(),
  from: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  attachments: z.array(z.unknown()).max(10).optional(),
});
const startBody = z.object({ user: z.object({ id: z.string().max(200).optional() }).partial().optional(), locale: z.string().max(20).optional() }).partial();

/** A message must say something: text, a button's value or an attachment (Web Chat never sends an empty one). */
function saysNothing(activity: z.infer<typeof postedActivity>): boolean {
  return activity.type === 'message' && !activity.text?.trim() && activity.value === undefined && !activity.attachments?.length;
}

/** The work's result, or undefined when it is not done within `ms` (it is left to finish on its own). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function watermarkOf(req: Request): number {
  const raw = (req.query as Record<string, unknown> | undefined)?.watermark;
  const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  return n;
}

export function registerDirectLineRoutes(server: Server, deps: DirectLineDeps): void {
  const { log, tokens, adapter, bot } = deps;
  const logOf = (req: Request): Logger => requestLogger(req) ?? deps.logger;

  /** Why the request's token does not open the conversation, or the conversation it opens. */
  const access = async (req: Request, conversationId?: string): Promise<{ conversationId: string } | { refused: string }> => {
    const check = await tokens.check(req.header('authorization'));
    if (!check.ok) return { refused: check.reason === 'expired' ? 'The token has expired; start or refresh the conversation.' : 'A valid Direct Line token is required.' };
    if (conversationId !== undefined && check.conversationId !== conversationId) return { refused: 'This token belongs to another conversation.' };
    return { conversationId: check.conversationId };
  };

  /** 403 for a missing, forged, expired or other conversation's token (Web Chat then waits for a new one). */
  const authorised = async (req: Request, res: Response, conversationId?: string): Promise<string | undefined> => {
    const granted = await access(req, conversationId);
    if ('refused' in granted) {
      fail(res, 403, 'forbidden', granted.refused);
      return undefined;
    }
    return granted.conversationId;
  };

  const conversationAnswer = async (conversationId: string) => {
    const issued = await tokens.issue(conversationId);
    return { conversationId, token: issued.token, expires_in: issued.expiresIn };
  };

  server.post(`${BASE}/conversations`, async (req: Request, res: Response) => {
    try {
      const body = parse(startBody, bodyOf(req), 'conversation request');
      const conversationId = randomBytes(16).toString('base64url');
      const userId = body.user?.id || `web-${randomBytes(8).toString('hex')}`;
      await log.open(conversationId, userId);
      res.json(201, await conversationAnswer(conversationId));
      // Web Chat shows the welcome with the first poll; the customer does not wait for it.
      const customer = { id: userId, name: '客户', role: 'user' };
      void adapter
        .receive(
          {
            type: 'conversationUpdate',
            channelId: CHANNEL_ID,
            serviceUrl: 'directline://local',
            conversation: { id: conversationId } as Activity['conversation'],
            from: customer,
            recipient: BOT_ACCOUNT,
            membersAdded: [customer],
            locale: body.locale ?? 'zh-CN',
            timestamp: new Date(),
          },
          (context) => bot.run(context),
        )
        .catch((err: unknown) => logOf(req).warn({ err, channel: CHANNEL_ID }, 'web chat welcome failed'));
    } catch (err) {
      if (err instanceof BadRequest) return fail(res, 400, 'bad_request', err.message);
      logOf(req).error({ err, channel: CHANNEL_ID }, 'could not start a web chat conversation');
      fail(res, 503, 'unavailable', 'The chat service is temporarily unavailable; please try again shortly.');
    }
  });

  // Resuming after a reload: a fresh token for the same conversation, whose history the next poll replays.
  server.get(`${BASE}/conversations/:conversationId`, async (req: Request, res: Response) => {
    const conversationId = String(req.params.conversationId);
    try {
      if (!(await authorised(req, res, conversationId))) return;
      if (!(await log.find(conversationId))) return fail(res, 404, 'not_found', 'This conversation has ended; please start a new one.');
      await log.touch(conversationId);
      res.json(200, await conversationAnswer(conversationId));
    } catch (err) {
      logOf(req).error({ err, channel: CHANNEL_ID }, 'could not resume a web chat conversation');
      fail(res, 503, 'unavailable', 'The chat service is temporarily unavailable; please try again shortly.');
    }
  });

  server.post(`${BASE}/tokens/refresh`, async (req: Request, res: Response) => {
    try {
      const conversationId = await authorised(req, res);
      if (!conversationId) return;
      if (!(await log.find(conversationId))) return fail(res, 404, 'not_found', 'This conversation has ended; please start a new one.');
      res.json(200, await conversationAnswer(conversationId));
    } catch (err) {
      logOf(req).error({ err, channel: CHANNEL_ID }, 'could not refresh a web chat token');
      fail(res, 503, 'unavailable', 'The chat service is temporarily unavailable; please try again shortly.');
    }
  });

  const pollAnswer = async (req: Request, conversationId: string, watermark: number): Promise<{ status: number; body: unknown }> => {
    const granted = await access(req, conversationId);
    if ('refused' in granted) return { status: 403, body: { error: 'forbidden', message: granted.refused } };
    if (!(await log.find(conversationId))) return { status: 404, body: { error: 'not_found', message: 'This conversation has ended; please start a new one.' } };
    const page = await log.after(conversationId, watermark);
    return { status: 200, body: { activities: page.activities, watermark: String(page.watermark) } };
  };

  server.get(`${BASE}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    const conversationId = String(req.params.conversationId);
    const watermark = watermarkOf(req);
    const unchanged = { activities: [], watermark: String(watermark) };
    try {
      const answer = await within(pollAnswer(req, conversationId, watermark), POLL_DEADLINE_MS);
      if (!answer) logOf(req).warn({ channel: CHANNEL_ID }, 'web chat poll: the database did not answer in time; answering empty');
      res.json(answer?.status ?? 200, answer?.body ?? unchanged);
    } catch (err) {
      logOf(req).warn({ err, channel: CHANNEL_ID }, 'web chat poll could not read the conversation; answering empty');
      res.json(200, unchanged);
    }
  });

  server.post(`${BASE}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    const conversationId = String(req.params.conversationId);
    try {
      if (!(await authorised(req, res, conversationId))) return;
      const posted = parse(postedActivity, bodyOf(req), 'activity');
      if (saysNothing(posted)) return fail(res, 400, 'bad_request', 'A message needs text, a value or an attachment.');
      const conversation = await log.find(conversationId);
      if (!conversation) return fail(res, 404, 'not_found', 'This conversation has ended; please start a new one.');
      const clientActivityId = typeof posted.channelData?.clientActivityID === 'string' ? posted.channelData.clientActivityID : undefined;
      // A re-post with the same client id is not logged twice. Its turn is offered to the bot again: the
      // bot's delivery check skips it if it ran, and runs it if the first attempt failed half-way.
      const earlier = clientActivityId ? await log.byClientId(conversationId, clientActivityId) : undefined;
      if (earlier) {
        await adapter.receive({ ...earlier, timestamp: new Date(String(earlier.timestamp)) }, (context) => bot.run(context));
        res.json(200, { id: earlier.id });
        return;
      }
      const echoed = await log.append(
        conversationId,
        {
          ...posted,
          channelId: CHANNEL_ID,
          serviceUrl: 'directline://local',
          conversation: { id: conversationId } as Activity['conversation'],
          from: { id: conversation.userId, name: posted.from?.name ?? '客户', role: 'user' },
          recipient: BOT_ACCOUNT,
          locale: posted.locale ?? 'zh-CN',
        } as Partial<Activity>,
        clientActivityId,
      );
      await adapter.receive({ ...echoed, timestamp: new Date(String(echoed.timestamp)) }, (context) => bot.run(context));
      res.json(200, { id: echoed.id });
    } catch (err) {
      if (err instanceof BadRequest) return fail(res, 400, 'bad_request', err.message);
      logOf(req).error({ err, channel: CHANNEL_ID }, 'web chat message could not be taken');
      fail(res, 503, 'unavailable', 'The chat service is temporarily unavailable; please send your message again shortly.');
    }
  });
}
