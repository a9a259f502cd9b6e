/**
 * Writes every outbound message to the transcript, whoever sent it (the bot's replies, an agent's words
 * relayed proactively). Inbound messages are written by the bot once the NLU has read them.
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { TranscriptStore } from '../transcripts/transcript-store.js';

/** Activities sent again (an expectReplies retry, a delayed delivery): already in the transcript. */
const resent = new WeakSet<object>();

export function markResent<T extends object>(activities: T[]): T[] {
  for (const activity of activities) resent.add(activity);
  return activities;
}

export class TranscriptMiddleware implements Middleware {
  constructor(private readonly transcripts: TranscriptStore) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.onSendActivities(async (ctx, activities, send) => {
      for (const activity of activities) if (!resent.has(activity)) await this.record(ctx, activity);
      return send();
    });
    await next();
  }

  private async record(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    if (activity.type !== 'message' || typeof activity.text !== 'string') return;
    const channelData = (activity.channelData ?? {}) as { agent?: string; slot?: string };
    await this.transcripts.append({
      conversationId: context.activity.conversation.id,
      channel: context.activity.channelId,
      direction: 'outbound',
      sender: channelData.agent ? 'agent' : 'bot',
      ...(channelData.agent ? { agent: channelData.agent } : {}),
      ...(channelData.slot ? { slot: channelData.slot } : {}),
      text: activity.text,
    });
  }
}
