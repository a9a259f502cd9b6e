import type { ConversationReference } from 'botbuilder';
import type { ComplaintConversation } from '../engine/conversation.js';
import type { CustomerChannel } from '../handoff/customer-channel.js';
import type { ComplaintBot } from './complaint-bot.js';

/** The hand-off service's way to the customer, through the bot so state and order are kept. */
export class ProactiveTurns implements CustomerChannel {
  constructor(
    private readonly bot: ComplaintBot,
    private readonly conversation: ComplaintConversation,
  ) {}

  agentJoined(reference: Partial<ConversationReference>): Promise<void> {
    return this.bot.continueWith(reference, () => this.conversation.agentJoined());
  }

  agentMessage(reference: Partial<ConversationReference>, agent: string, text: string): Promise<void> {
    return this.bot.continueWith(reference, () => [{ text }], agent);
  }

  agentClosed(reference: Partial<ConversationReference>): Promise<void> {
    return this.bot.continueWith(reference, (state) => this.conversation.agentClosed(state));
  }

  timedOut(reference: Partial<ConversationReference>): Promise<void> {
    return this.bot.continueWith(reference, (state, ref) => this.conversation.handoffTimedOut(state, { ref }));
  }
}
