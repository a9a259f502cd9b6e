import type { ConversationReference } from 'botbuilder';

/**
 * Reaching a customer outside their own turn (the bot layer implements it per channel): the agent's
 * words, and the bot's lines when an agent joins, closes, or never came.
 */
export interface CustomerChannel {
  agentJoined(reference: Partial<ConversationReference>, agent: string): Promise<void>;
  agentMessage(reference: Partial<ConversationReference>, agent: string, text: string): Promise<void>;
  agentClosed(reference: Partial<ConversationReference>): Promise<void>;
  timedOut(reference: Partial<ConversationReference>): Promise<void>;
}
