/**
 * What a WeChat callback asks of the bot: a text turn (typed text, recognised speech, a menu button),
 * the welcome for a new follower, a fixed answer, or nothing at all.
 */
import type { ChannelTexts, MenuKeys } from './channel-content.js';
import type { WeChatFields } from './wechat-xml.js';

export type Inbound =
  | { kind: 'text'; text: string }
  | { kind: 'welcome' }
  | { kind: 'answer'; text: string }
  | { kind: 'ignore' };

export function readInbound(fields: WeChatFields, menu: MenuKeys, texts: ChannelTexts & { help: string }): Inbound {
  switch (fields.MsgType) {
    case 'text':
      return { kind: 'text', text: fields.Content ?? '' };
    case 'voice':
      // With speech recognition switched on WeChat sends what was said; without it there is nothing to read.
      return fields.Recognition ? { kind: 'text', text: fields.Recognition } : { kind: 'answer', text: texts.unsupportedMessage };
    case 'event':
      switch ((fields.Event ?? '').toLowerCase()) {
        case 'subscribe':
          return { kind: 'welcome' };
        case 'click': {
          const says = menu[fields.EventKey ?? ''];
          return says ? { kind: 'text', text: says } : { kind: 'answer', text: texts.help };
        }
        default:
          // unsubscribe, VIEW (a menu link), LOCATION reports, template results: nothing to say.
          return { kind: 'ignore' };
      }
    default:
      return { kind: 'answer', text: texts.unsupportedMessage };
  }
}

/**
 * How retries are recognised: a message by its MsgId (kept as a string: it exceeds 2^53), an event by
 * who sent it and when, as WeChat documents, plus which event it is: a follower who subscribes and taps a
 * menu button within one second sends two events with the same CreateTime. The follower appears only as
 * the hashed conversation id.
 */
export function deliveryKey(appKey: string, conversationId: string, fields: WeChatFields): string | undefined {
  if (fields.MsgId) return `${appKey}|msg|${fields.MsgId}`;
  if (fields.MsgType === 'event' && fields.CreateTime) return `${appKey}|event|${conversationId}|${fields.CreateTime}|${fields.Event ?? ''}|${fields.EventKey ?? ''}`;
  return undefined;
}
