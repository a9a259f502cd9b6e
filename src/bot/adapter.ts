import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config.js';
import type { ReplyTexts } from '../engine/common-content.js';
import type { Logger } from '../logger.js';
import { replyActivity } from './render-replies.js';

export type BotCredentials = Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'>;

/**
 * botbuilder's CloudAdapter. With MicrosoftAppId set every request must carry a valid Bot Framework
 * token; without one authentication is off (the Emulator, local tests), which is botbuilder's own rule.
 */
export function createBotAdapter(credentials: BotCredentials, texts: ReplyTexts, logger: Logger): CloudAdapter {
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: credentials.MicrosoftAppId ?? '',
    MicrosoftAppPassword: credentials.MicrosoftAppPassword ?? '',
    MicrosoftAppType: credentials.MicrosoftAppType,
    MicrosoftAppTenantId: credentials.MicrosoftAppTenantId ?? '',
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, factory));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId }, 'turn failed');
    // The customer still gets a polite answer; their state was not saved, so they can simply retry.
    await context.sendActivity(replyActivity({ text: texts.technicalError }, context.activity.channelId)).catch(() => undefined);
  };
  return adapter;
}
