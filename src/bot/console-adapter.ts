/**
 * A Bot Framework adapter for a terminal: each line typed is a message activity on the `console`
 * channel (no buttons, so options are numbered), and replies are written out as they are sent.
 */
import { randomUUID } from 'node:crypto';
import { ActivityTypes, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { InProcessAdapter } from './in-process-adapter.js';

export class ConsoleAdapter extends InProcessAdapter {
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
    await this.runTurn(activity, logic);
  }

  async sendActivities(_context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    for (const activity of activities) if (activity.type === ActivityTypes.Message) this.print(activity);
    return activities.map(() => ({ id: randomUUID() }));
  }
}
