/**
 * Every message in and out of every conversation, as received (not masked: agents need the customer's
 * own words and numbers; only admins and agents can read it). Kept TRANSCRIPT_RETENTION_DAYS, then
 * removed by a TTL index. Learning exports mask it on the way out.
 */
import type { Collection, Db } from 'mongodb';
import type { Logger } from '../logger.js';

export type Direction = 'inbound' | 'outbound';
export type Sender = 'customer' | 'bot' | 'agent';

export interface TranscriptEntry {
  conversationId: string;
  channel: string;
  /** Orders entries of a conversation and is the `after` cursor of the agent API. */
  seq: number;
  direction: Direction;
  sender: Sender;
  agent?: string;
  text: string;
  at: Date;
  activityId?: string;
  /** Inbound: what the NLU made of the message. */
  nlu?: { intent: string; score: number; entities: Array<{ type: string; value: string | number; text: string }>; flags: string[] };
  /** Inbound: the flow step the conversation was at; outbound: the slot the reply asks for. */
  step?: { flow: string; step: string };
  slot?: string;
  /** Inbound: why a reviewer should look at it (empty or absent: the bot understood). */
  review?: string[];
  /** Inbound: the intent an agent gave the ticket this turn led to, when it differs from the NLU's. */
  suggestedIntent?: string;
}

export type NewTranscriptEntry = Omit<TranscriptEntry, 'seq' | 'at'> & { at?: Date };

/** Longest text kept per entry: a 100 KB paste is not worth storing whole. */
const MAX_TEXT = 10_000;

export class TranscriptStore {
  private readonly entries: Collection<TranscriptEntry>;
  private lastSeq = 0;

  constructor(
    db: Db,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {
    this.entries = db.collection<TranscriptEntry>('transcripts');
  }

  async init(): Promise<void> {
    await this.entries.createIndex({ conversationId: 1, seq: 1 });
    await this.entries.createIndex({ review: 1, at: -1 });
    await this.entries.createIndex({ at: 1 }, { expireAfterSeconds: this.retentionDays * 24 * 3600 });
  }

  /**
   * Microseconds since the epoch, strictly increasing in this process: entries of one conversation come
   * from the node handling it, so their order is the order they were written.
   */
  private nextSeq(at: Date): number {
    this.lastSeq = Math.max(this.lastSeq + 1, at.getTime() * 1000);
    return this.lastSeq;
  }

  /** Never throws: a transcript that cannot be written must not cost the customer their answer. */
  async append(entry: NewTranscriptEntry): Promise<void> {
    const at = entry.at ?? new Date();
    const doc: TranscriptEntry = { ...entry, text: entry.text.slice(0, MAX_TEXT), at, seq: this.nextSeq(at) };
    try {
      await this.entries.insertOne(doc);
    } catch (err) {
      this.logger.warn({ err, direction: entry.direction }, 'transcript entry not written');
    }
  }

  /**
   * An agent re-categorised the conversation's ticket: the customer's turns the NLU read as the old
   * intent (or, failing that, the first one) go to the review queue with the agent's intent as a hint.
   */
  async markRecategorised(conversationId: string, from: string, to: string): Promise<void> {
    const update = { $addToSet: { review: 'recategorised' }, $set: { suggestedIntent: to } };
    const marked = await this.entries.updateMany({ conversationId, direction: 'inbound', 'nlu.intent': from }, update);
    if (marked.matchedCount > 0) return;
    const first = await this.entries.find({ conversationId, direction: 'inbound' }).sort({ seq: 1 }).limit(1).next();
    if (first) await this.entries.updateOne({ conversationId, seq: first.seq }, update);
  }

  /** In order; only entries after `afterSeq` when given. */
  list(conversationId: string, afterSeq?: number, limit = 1000): Promise<TranscriptEntry[]> {
    const filter = afterSeq === undefined ? { conversationId } : { conversationId, seq: { $gt: afterSeq } };
    return this.entries.find(filter, { projection: { _id: 0 } }).sort({ seq: 1 }).limit(limit).toArray();
  }
}
