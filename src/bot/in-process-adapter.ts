/**
 * Base of the adapters for channels this service runs itself (the terminal, its own Direct Line, WeChat):
 * turns run in this process, and a proactive turn (an agent's words, a queue timeout) needs no Bot
 * Framework app id or token, only the conversation reference.
 */
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference } from 'botbuilder';

export abstract class InProcessAdapter extends BotAdapter {
  /** Runs one inbound activity through the middleware and the bot. */
  protected runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, prepare?: (context: TurnContext) => void): Promise<void> {
    const context = new TurnContext(this, activity);
    prepare?.(context);
    return this.runMiddleware(context, logic);
  }

  async updateActivity(): Promise<void> {
    throw new Error('This channel does not edit messages once sent.');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('This channel does not recall messages once sent.');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runTurn(activity, logic);
  }

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
