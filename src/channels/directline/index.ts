/**
 * The customer web chat: Microsoft's Web Chat page at / (its bundle served from the installed package)
 * talking to this service's own Direct Line 3.0 endpoint under /v3/directline, on channel "web".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';
import type { AppDeps } from '../../server/app-deps.js';
import { registerStaticPage, WEB_DIR } from '../../server/static-page.js';
import { ActivityLog } from './activity-log.js';
import { CHANNEL_ID, DirectLineAdapter } from './adapter.js';
import { registerDirectLineRoutes } from './routes.js';
import { signingSecret, TokenSigner } from './tokens.js';

const INIT_RETRY_MS = 5_000;
// The package's exports map hides its UMD bundle from require.resolve; it is found from the ESM entry instead.
const WEBCHAT_BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.resolve('botframework-webchat'))), 'webchat.js');

// The least Web Chat runs with (measured in Chromium: each relaxation below was needed). It injects its
// styles as <style> elements at run time (emotion), so inline styles are allowed; scripts stay 'self'.
// Images: the page's data: favicon and Web Chat's blob: images. Fonts and media fall back to 'self'.
const CHAT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function registerWebChatChannel(server: restify.Server, deps: AppDeps): void {
  const { config, storage, logger } = deps;
  const log = new ActivityLog(storage.db, Math.round(config.DIRECTLINE_CONVERSATION_IDLE_HOURS * 3600));
  const adapter = new DirectLineAdapter(log);
  deps.channels.register(CHANNEL_ID, adapter);

  const tokens = new TokenSigner(() => signingSecret(storage.db, config.DIRECTLINE_SECRET), config.DIRECTLINE_TOKEN_TTL_MIN * 60);
  const initialise = (): void => {
    log.init().catch((err: unknown) => {
      logger.warn({ err, channel: CHANNEL_ID }, 'web chat storage set-up failed; retrying');
      setTimeout(initialise, INIT_RETRY_MS).unref();
    });
  };
  initialise();

  registerDirectLineRoutes(server, { log, tokens, adapter, bot: deps.bot, logger });
  registerStaticPage(server, { mount: '/chat', dir: path.join(WEB_DIR, 'chat'), vendor: { 'webchat.js': WEBCHAT_BUNDLE }, aliases: ['/'], csp: CHAT_CSP });
}
