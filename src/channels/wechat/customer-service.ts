/**
 * WeChat's customer-service message API: how a reply reaches a follower after the passive window, and
 * how an agent's words reach them at all. Long texts go out as several messages, in order.
 */
import type { Logger } from '../../logger.js';
import { WeChatApiError, type AccessTokens } from './access-token.js';
import { splitReply } from './split-reply.js';

/** Token invalid (40001), token expired (42001), token malformed (40014): fetch a new one and retry once. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const SEND_TIMEOUT_MS = 5_000;

export class CustomerService {
  constructor(
    private readonly apiBase: string,
    private readonly tokens: AccessTokens,
    private readonly logger: Logger,
  ) {}

  /** Sends `text` (split when over WeChat's size limit); throws if WeChat did not take a part. */
  async sendText(openId: string, text: string): Promise<void> {
    for (const part of splitReply(text)) await this.sendOne(openId, part);
  }

  private async sendOne(openId: string, content: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      const url = `${this.apiBase}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ touser: openId, msgtype: 'text', text: { content } }),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
      if (res.ok && (body.errcode === undefined || body.errcode === 0)) return;
      if (attempt === 0 && body.errcode !== undefined && TOKEN_ERRORS.has(body.errcode)) {
        await this.tokens.invalidate(token);
        continue;
      }
      this.logger.warn({ status: res.status, errcode: body.errcode }, 'WeChat customer-service message refused');
      throw new WeChatApiError(body.errcode, `customer-service message failed (HTTP ${res.status}, errcode ${body.errcode ?? 'none'})`);
    }
  }
}
