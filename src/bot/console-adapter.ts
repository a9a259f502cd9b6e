/**
 * A Bot Framework adapter for a terminal: each line typed is a message activity on the `console`
 * channel (no buttons, so options are numbered), and replies are written out as they are sent.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';

export class ConsoleAdapter extends BotAdapter {
  private readonly conversationId = `console-${randomUUID()}`;

  constructor(private readonly print: (activity: Partial<Activity>) => void) {
    super();
  }

  /** Runs one customer line through the bot. */
  async say(text: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      id: randomUUID(),
      text,
      channelId: 'console',
      serviceUrl: 'console://local',
      timestamp: new Date(),
      locale: 'zh-CN',
      conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: 'console' },
      from: { id: 'customer', name: '客户' },
      recipient: { id: 'bot', name: '宽带投诉助手' },
    };
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(_context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    for (const activity of activities) if (activity.type === ActivityTypes.Message) this.print(activity);
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('The terminal cannot edit what it printed.');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The terminal cannot delete what it printed.');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /** An agent's words reach the terminal like the bot's (no app id is involved here). */
  override async continueConversationAsync(
    _botAppIdOrClaimsIdentity: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: ((context: TurnContext) => Promise<void>) | string,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (logic) await this.continueConversation(reference, logic);
  }
}
