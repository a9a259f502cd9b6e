/**
 * The WeChat Official Account channel at /api/wechat. Off (404 with an explanation) without
 * WECHAT_TOKEN; the customer-service API (late replies, agents' words) needs WECHAT_APPID and
 * WECHAT_SECRET as well, and safe mode WECHAT_AES_KEY.
 */
import type restify from 'restify';
import type { AppDeps } from '../../server/app-deps.js';
import { AccessTokens } from './access-token.js';
import { loadChannelContent } from './channel-content.js';
import { CustomerService } from './customer-service.js';
import { Followers } from './followers.js';
import { InboundDeliveries } from './inbound-deliveries.js';
import { MessageCrypto } from './message-crypto.js';
import { CHANNEL_ID, WeChatWebhook } from './webhook.js';
import { WeChatAdapter } from './wechat-adapter.js';

export function registerWeChatChannel(server: restify.Server, deps: AppDeps): void {
  const { config } = deps;
  const token = config.WECHAT_TOKEN;
  if (!token) {
    const off = async (_req: restify.Request, res: restify.Response): Promise<void> => {
      res.json(404, { error: 'not_found', message: 'The WeChat channel is not enabled on this server (WECHAT_TOKEN is not set).' });
    };
    server.get('/api/wechat', off);
    server.post('/api/wechat', off);
    return;
  }
  const logger = deps.logger.child({ component: 'wechat' });
  const { menu, texts: channelTexts } = loadChannelContent();
  const db = deps.storage.db;
  const appId = config.WECHAT_APPID;
  const customerService =
    appId && config.WECHAT_SECRET
      ? new CustomerService(config.WECHAT_API_BASE, new AccessTokens(db, { apiBase: config.WECHAT_API_BASE, appId, secret: config.WECHAT_SECRET }, logger), logger)
      : undefined;
  const followers = new Followers(db);
  const adapter = new WeChatAdapter(followers, customerService);
  deps.channels.register(CHANNEL_ID, adapter);
  new WeChatWebhook({
    token,
    appId,
    crypto: config.WECHAT_AES_KEY && appId ? new MessageCrypto(config.WECHAT_AES_KEY, appId) : undefined,
    passiveReplyMs: config.WECHAT_PASSIVE_REPLY_MS,
    bot: deps.bot,
    adapter,
    followers,
    deliveries: new InboundDeliveries(db),
    customerService,
    pending: deps.pending,
    texts: deps.content.texts,
    menu,
    channelTexts,
    logger,
  }).register(server);
}
