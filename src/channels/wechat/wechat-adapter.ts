/**
 * The Bot Framework adapter for WeChat followers. During a follower's own turn the bot's replies are
 * collected (the webhook answers with them passively or through the customer-service API); in a turn
 * the follower did not start (an agent's words, a queue timeout) they go out through the
 * customer-service API at once.
 */
import { randomUUID } from 'node:crypto';
import { ActivityTypes, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { InProcessAdapter } from '../../bot/in-process-adapter.js';
import type { CustomerService } from './customer-service.js';
import type { Followers } from './followers.js';

const COLLECTED = Symbol('wechat replies of this turn');

export class WeChatAdapter extends InProcessAdapter {
  constructor(
    private readonly followers: Followers,
    /** Undefined without WECHAT_APPID/WECHAT_SECRET: proactive messages then cannot be delivered. */
    private readonly customerService: CustomerService | undefined,
  ) {
    super();
  }

  /** Runs one inbound activity through the bot; resolves with the texts it said, in order. */
  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<string[]> {
    const said: string[] = [];
    await this.runTurn(activity, logic, (context) => context.turnState.set(COLLECTED, said));
    return said;
  }

  async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    const texts = activities.filter((a) => a.type === ActivityTypes.Message && typeof a.text === 'string' && a.text !== '').map((a) => a.text as string);
    const collected = context.turnState.get(COLLECTED) as string[] | undefined;
    if (collected) {
      collected.push(...texts);
    } else if (texts.length > 0) {
      // Throwing lets the bot keep the messages for the follower's next turn.
      if (!this.customerService) throw new Error('WeChat customer-service API is not configured (WECHAT_APPID, WECHAT_SECRET)');
      const openId = await this.followers.openIdOf(context.activity.conversation.id);
      if (!openId) throw new Error('no WeChat follower is known for this conversation');
      for (const text of texts) await this.customerService.sendText(openId, text);
    }
    return activities.map(() => ({ id: randomUUID() }));
  }
}
