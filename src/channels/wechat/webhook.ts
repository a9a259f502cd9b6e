/**
 * GET/POST /api/wechat: the Official Account's server URL. Checks the signature and the timestamp
 * before anything is processed, reads plain or safe-mode (AES) messages, runs the turn and answers
 * passively when it finishes within the passive window, else answers `success` and sends the reply
 * through the customer-service API.
 */
import { createHash, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { PendingDeliveries } from '../../bot/pending-deliveries.js';
import type { ComplaintBot } from '../../bot/complaint-bot.js';
import type { ReplyTexts } from '../../engine/common-content.js';
import type { Logger } from '../../logger.js';
import { requestLogger } from '../../server/app.js';
import type { ChannelTexts, MenuKeys } from './channel-content.js';
import type { CustomerService } from './customer-service.js';
import { followerConversationId, type Followers } from './followers.js';
import type { InboundDeliveries } from './inbound-deliveries.js';
import { deliveryKey, readInbound } from './inbound-message.js';
import { WeChatCryptoError, type MessageCrypto } from './message-crypto.js';
import { signatureMatches, timestampIsFresh, wechatSignature } from './signature.js';
import { splitReply } from './split-reply.js';
import type { WeChatAdapter } from './wechat-adapter.js';
import { encryptedReplyXml, parseWeChatXml, textReplyXml, WeChatXmlError, type WeChatFields } from './wechat-xml.js';

export const CHANNEL_ID = 'wechat';
/** WeChat's own messages are a few KB; anything much bigger is not from WeChat. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface WebhookDeps {
  token: string;
  appId: string | undefined;
  crypto: MessageCrypto | undefined;
  passiveReplyMs: number;
  bot: ComplaintBot;
  adapter: WeChatAdapter;
  followers: Followers;
  deliveries: InboundDeliveries;
  customerService: CustomerService | undefined;
  pending: PendingDeliveries;
  texts: ReplyTexts;
  menu: MenuKeys;
  channelTexts: ChannelTexts;
  logger: Logger;
}

/** Where the passive reply goes and how it is wrapped. */
interface Answer {
  aes: boolean;
  follower: string;
  account: string;
}

type TurnResult = { said: string[] } | { err: unknown };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function refuse(res: Response, status: number, error: string, message: string): void {
  res.json(status, { error, message });
}

function rawBody(req: Request): string | undefined {
  const body: unknown = req.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return undefined; // Already parsed as JSON or a form: not a WeChat message.
}

export class WeChatWebhook {
  constructor(private readonly deps: WebhookDeps) {}

  register(server: Server): void {
    server.get('/api/wechat', async (req: Request, res: Response) => this.verify(req, res));
    server.post('/api/wechat', async (req: Request, res: Response) => this.receive(req, res));
  }

  /** The URL check WeChat makes when the server address is saved: echo `echostr` if signed by our token. */
  private verify(req: Request, res: Response): void {
    const q = req.query as Record<string, unknown>;
    if (!this.authentic(res, q.signature, [str(q.timestamp), str(q.nonce)], q.timestamp)) return;
    const echo = str(q.echostr);
    if (!echo) return refuse(res, 400, 'bad_request', 'The "echostr" query parameter is missing.');
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.sendRaw(200, echo);
  }

  private async receive(req: Request, res: Response): Promise<void> {
    const log = requestLogger(req) ?? this.deps.logger;
    const deadline = req.time() + this.deps.passiveReplyMs;
    const raw = rawBody(req);
    if (raw === undefined) return refuse(res, 400, 'bad_request', 'Send the WeChat message as XML (Content-Type: text/xml).');
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
      return refuse(res, 413, 'payload_too_large', `A WeChat message must not exceed ${MAX_BODY_BYTES / 1024} KB.`);
    }
    if (raw.trim() === '') return refuse(res, 400, 'bad_request', 'The body is empty: send the WeChat XML message.');

    let envelope: WeChatFields;
    try {
      envelope = parseWeChatXml(raw);
    } catch (err) {
      if (err instanceof WeChatXmlError) return refuse(res, 400, 'bad_request', `The WeChat message could not be read: ${err.message}.`);
      throw err;
    }

    const q = req.query as Record<string, unknown>;
    const aes = str(q.encrypt_type).toLowerCase() === 'aes';
    const timestamp = str(q.timestamp);
    const nonce = str(q.nonce);
    let fields = envelope;
    if (aes) {
      const { crypto } = this.deps;
      if (!crypto) return refuse(res, 400, 'bad_request', 'This message is encrypted (safe mode) but WECHAT_AES_KEY is not set.');
      const encrypted = envelope.Encrypt;
      if (!encrypted) return refuse(res, 400, 'bad_request', 'A safe-mode message must carry <Encrypt>.');
      if (!this.authentic(res, q.msg_signature, [timestamp, nonce, encrypted], q.timestamp)) return;
      try {
        fields = parseWeChatXml(crypto.decrypt(encrypted));
      } catch (err) {
        if (err instanceof WeChatCryptoError || err instanceof WeChatXmlError) {
          return refuse(res, 400, 'bad_request', `The encrypted WeChat message could not be read: ${err.message}.`);
        }
        throw err;
      }
    } else if (!this.authentic(res, q.signature, [timestamp, nonce], q.timestamp)) {
      return;
    }

    const follower = fields.FromUserName;
    const account = fields.ToUserName ?? '';
    if (!follower || !fields.MsgType) return refuse(res, 400, 'bad_request', 'The WeChat message lacks FromUserName or MsgType.');
    const answer: Answer = { aes, follower, account };
    const inbound = readInbound(fields, this.deps.menu, { ...this.deps.channelTexts, help: this.deps.texts.help });
    if (inbound.kind === 'ignore') return this.success(res);
    if (inbound.kind === 'answer') return this.passive(res, answer, inbound.text);

    const appKey = this.deps.appId ?? (account || CHANNEL_ID);
    const conversationId = followerConversationId(appKey, follower);
    const key = deliveryKey(appKey, conversationId, fields);
    try {
      await this.deps.followers.seen(conversationId, follower);
      if (key && !(await this.deps.deliveries.claim(key))) {
        log.info({ channel: CHANNEL_ID }, 'repeated WeChat delivery');
        return await this.answerRetry(res, answer, key, deadline);
      }
    } catch (err) {
      // Storage is down: nothing was processed, and the follower is asked to send it again.
      log.error({ err, channel: CHANNEL_ID }, 'WeChat message could not be taken');
      return this.passive(res, answer, this.deps.texts.technicalError);
    }

    const activity = this.activity(inbound.kind === 'welcome' ? undefined : inbound.text, conversationId, key, fields);
    const turn: Promise<TurnResult> = this.deps.adapter.receive(activity, (context) => this.deps.bot.run(context)).then(
      (said) => ({ said }),
      (err: unknown) => ({ err }),
    );
    const window = new AbortController();
    const early = await Promise.race([turn, sleep(Math.max(0, deadline - Date.now()), undefined, { signal: window.signal }).catch(() => undefined)]);
    window.abort();

    if (early === undefined) {
      // Too slow for a passive reply: WeChat gets `success` now, the follower the reply when it is ready.
      if (key) await this.deps.deliveries.defer(key).catch((err: unknown) => log.warn({ err }, 'could not record a deferred WeChat reply'));
      this.success(res);
      void turn.then((late) => {
        if ('err' in late) log.error({ err: late.err, channel: CHANNEL_ID }, 'WeChat turn failed after the passive window');
        else this.sendLater(follower, conversationId, late.said.join('\n\n'));
      });
      return;
    }
    if ('err' in early) {
      if (key) await this.deps.deliveries.release(key).catch(() => undefined);
      log.error({ err: early.err, channel: CHANNEL_ID }, 'WeChat turn failed');
      return refuse(res, 500, 'internal', 'The message could not be processed.');
    }
    const text = early.said.join('\n\n');
    // A passive reply is one message: a reply that must be split goes wholly through the API, in order.
    if (text && splitReply(text).length === 1 && (!key || (await this.deps.deliveries.reply(key, text)))) return this.passive(res, answer, text);
    if (key) await this.deps.deliveries.defer(key).catch((err: unknown) => log.warn({ err }, 'could not record a deferred WeChat reply'));
    this.success(res);
    if (text) this.sendLater(follower, conversationId, text);
  }

  /** A retry of a message already taken: the same passive reply if there is one, else `success`. */
  private async answerRetry(res: Response, answer: Answer, key: string, deadline: number): Promise<void> {
    let settled = await this.deps.deliveries.settled(key, deadline);
    if (settled.state === 'running' && !(await this.deps.deliveries.defer(key))) settled = await this.deps.deliveries.current(key);
    if (settled.state === 'replied' && settled.reply) return this.passive(res, answer, settled.reply);
    return this.success(res);
  }

  private activity(text: string | undefined, conversationId: string, key: string | undefined, fields: WeChatFields): Partial<Activity> {
    const created = Number(fields.CreateTime);
    const customer = { id: conversationId, name: '客户' };
    return {
      ...(text === undefined ? { type: 'conversationUpdate', membersAdded: [customer] } : { type: 'message', text }),
      // The bot's own retry check sees the same key (hashed: an event's key names the follower).
      id: key ? createHash('sha256').update(key).digest('hex').slice(0, 32) : undefined,
      channelId: CHANNEL_ID,
      serviceUrl: 'wechat://official-account',
      timestamp: Number.isFinite(created) && created > 0 ? new Date(created * 1000) : new Date(),
      locale: 'zh-CN',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: CHANNEL_ID },
      from: customer,
      recipient: { id: fields.ToUserName || 'bot', name: '宽带投诉助手' },
    };
  }

  /** A reply WeChat cannot take now (no API credentials, the API refused) waits for the follower's next message. */
  private sendLater(follower: string, conversationId: string, text: string): void {
    if (!text) return;
    const { customerService, pending, logger } = this.deps;
    const keep = (why: string, err?: unknown): void => {
      logger.warn({ err, channel: CHANNEL_ID }, `a late WeChat reply ${why}; kept for the follower's next message`);
      pending.keep(conversationId, [{ type: 'message', text, locale: 'zh-CN' }]).catch((keepErr: unknown) => logger.error({ err: keepErr, channel: CHANNEL_ID }, 'a late WeChat reply was lost'));
    };
    if (!customerService) return keep('has no customer-service API (WECHAT_APPID and WECHAT_SECRET are needed)');
    customerService.sendText(follower, text).catch((err: unknown) => keep('could not be sent', err));
  }

  /** Signature first (401), then the timestamp (403): an unsigned request learns nothing about the clock. */
  private authentic(res: Response, signature: unknown, parts: string[], timestamp: unknown): boolean {
    if (!signatureMatches(signature, [this.deps.token, ...parts])) {
      refuse(res, 401, 'unauthorized', 'The WeChat signature does not match (check WECHAT_TOKEN, and WECHAT_AES_KEY in safe mode).');
      return false;
    }
    if (!timestampIsFresh(timestamp)) {
      refuse(res, 403, 'forbidden', 'The request timestamp is more than 5 minutes away from this server\'s clock.');
      return false;
    }
    return true;
  }

  private success(res: Response): void {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.sendRaw(200, 'success');
  }

  private passive(res: Response, answer: Answer, text: string): void {
    const now = Math.floor(Date.now() / 1000);
    let xml = textReplyXml({ to: answer.follower, from: answer.account, content: text, createTime: now });
    const { crypto, token } = this.deps;
    if (answer.aes && crypto) {
      const encrypt = crypto.encrypt(xml);
      const timestamp = String(now);
      const nonce = String(randomInt(100_000_000, 1_000_000_000));
      xml = encryptedReplyXml({ encrypt, signature: wechatSignature(token, timestamp, nonce, encrypt), timestamp, nonce });
    }
    res.setHeader('content-type', 'application/xml; charset=utf-8');
    res.sendRaw(200, xml);
  }
}
