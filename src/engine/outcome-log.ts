/**
 * How complaints end (resolved / explained / ticket / handoff) and the satisfaction answers, one
 * document per ended complaint in `conversation_outcomes`: the containment and satisfaction figures
 * the team reports on. Writing it must never disturb the customer's conversation.
 */
import type { Collection, Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { Intent } from '../nlu/index.js';
import type { TriedStep } from './conversation-state.js';
import type { Outcome } from './flow-schema.js';

export interface OutcomeRecord {
  conversationId: string;
  channel: string;
  flow: string;
  intent: Intent;
  outcome: Outcome;
  ticketNumber?: string;
  tried: TriedStep[];
  escalationRisk: boolean;
  endedAt: Date;
  satisfaction?: string;
}

export class OutcomeLog {
  private readonly outcomes: Collection<OutcomeRecord>;

  constructor(
    db: Db,
    private readonly logger: Logger,
  ) {
    this.outcomes = db.collection<OutcomeRecord>('conversation_outcomes');
  }

  async init(): Promise<void> {
    await this.outcomes.createIndex({ conversationId: 1, endedAt: -1 });
    await this.outcomes.createIndex({ endedAt: 1 });
  }

  async ended(record: OutcomeRecord): Promise<void> {
    try {
      await this.outcomes.insertOne({ ...record });
    } catch (err) {
      this.logger.warn({ err }, 'could not record a conversation outcome');
    }
  }

  /** Attaches the answer to the conversation's latest ended complaint. */
  async satisfaction(conversationId: string, answer: string): Promise<void> {
    try {
      const latest = await this.outcomes.find({ conversationId }).sort({ endedAt: -1 }).limit(1).next();
      if (latest) await this.outcomes.updateOne({ _id: latest._id }, { $set: { satisfaction: answer } });
    } catch (err) {
      this.logger.warn({ err }, 'could not record a satisfaction answer');
    }
  }

  latest(conversationId: string): Promise<OutcomeRecord | null> {
    return this.outcomes.find({ conversationId }, { projection: { _id: 0 } }).sort({ endedAt: -1 }).limit(1).next();
  }
}
