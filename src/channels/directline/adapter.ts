/**
 * The bot's side of this service's Direct Line: a turn's replies, and proactive messages (an agent's
 * words, a hand-off timing out), are appended to the conversation's activity log, where the customer's
 * Web Chat picks them up with its next poll.
 */
import { ActivityTypes, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { InProcessAdapter } from '../../bot/in-process-adapter.js';
import type { ActivityLog } from './activity-log.js';

export const CHANNEL_ID = 'web';
export const BOT_ACCOUNT = { id: 'complaint-desk-bot', name: '宽带客服', role: 'bot' };

export class DirectLineAdapter extends InProcessAdapter {
  constructor(private readonly log: ActivityLog) {
    super();
  }

  /** Runs the customer's activity (already in the log) through the bot. */
  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runTurn(activity, logic);
  }

  async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation.id;
    // A reply answers the customer's message; a proactive turn (an event of ours) answers nothing.
    const replyToId = context.activity.type === ActivityTypes.Message ? context.activity.id : undefined;
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      // botbuilder stamps the reference's activity id on everything sent; only a real reply keeps one.
      const { replyToId: _stamped, ...rest } = activity;
      const stored = await this.log.append(conversationId, {
        ...rest,
        channelId: CHANNEL_ID,
        conversation: { id: conversationId } as Activity['conversation'],
        from: BOT_ACCOUNT,
        ...(replyToId ? { replyToId } : {}),
      });
      responses.push({ id: stored.id ?? '' });
    }
    return responses;
  }
}
