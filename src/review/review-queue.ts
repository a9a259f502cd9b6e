/**
 * The review queue: customer turns the bot was unsure of (the transcript's review signals), shown
 * masked with a little of their conversation, and what a reviewer decided about each. A labelled turn
 * keeps its masked text and label here, so the corpus import does not depend on transcripts that
 * expire.
 */
import type { Collection, Db } from 'mongodb';
import { isIntent, type Intent } from '../nlu/taxonomy.js';
import { maskText } from '../transcripts/masking.js';
import type { TranscriptEntry } from '../transcripts/transcript-store.js';

export type ReviewAction = 'label' | 'skip' | 'unusable';

export interface ReviewDecision {
  /** `<conversationId>#<seq>` of the transcript entry. */
  _id: string;
  action: ReviewAction;
  intent?: Intent;
  /** Masked, as it goes into the corpus. */
  text: string;
  /** What the bot had made of it. */
  botIntent?: string;
  by: string;
  at: Date;
  /** Set when `npm run corpus:import-reviewed` took it into the corpus. */
  importedAt?: Date;
}

export interface ReviewItem {
  id: string;
  conversationId: string;
  channel: string;
  at: Date;
  text: string;
  signals: string[];
  intent?: string;
  score?: number;
  suggestedIntent?: string;
  skipped: boolean;
  context: Array<{ seq: number; direction: string; sender: string; text: string; current: boolean }>;
}

const CONTEXT_BEFORE = 4;
const CONTEXT_AFTER = 2;
/** How many flagged turns are looked at to fill one page of the queue. */
const SCAN_LIMIT = 500;

export class ReviewNotFound extends Error {}

export class ReviewQueue {
  private readonly transcripts: Collection<TranscriptEntry>;
  private readonly decisions: Collection<ReviewDecision>;

  constructor(db: Db) {
    this.transcripts = db.collection<TranscriptEntry>('transcripts');
    this.decisions = db.collection<ReviewDecision>('review_decisions');
  }

  async init(): Promise<void> {
    await this.decisions.createIndex({ action: 1, importedAt: 1 });
  }

  static idOf(entry: Pick<TranscriptEntry, 'conversationId' | 'seq'>): string {
    return `${entry.conversationId}#${entry.seq}`;
  }

  /** Undecided turns newest first, then the skipped ones (longest skipped first); `total` counts both. */
  async pending(limit: number): Promise<{ items: ReviewItem[]; total: number }> {
    const flagged = await this.transcripts
      .find({ direction: 'inbound', review: { $exists: true, $ne: [] } })
      .sort({ at: -1 })
      .limit(SCAN_LIMIT)
      .toArray();
    const decided = new Map(
      (await this.decisions.find({ _id: { $in: flagged.map((e) => ReviewQueue.idOf(e)) } }).toArray()).map((d) => [d._id, d]),
    );
    const open = flagged.filter((e) => !decided.has(ReviewQueue.idOf(e)));
    const skipped = flagged
      .filter((e) => decided.get(ReviewQueue.idOf(e))?.action === 'skip')
      .sort((a, b) => decided.get(ReviewQueue.idOf(a))!.at.getTime() - decided.get(ReviewQueue.idOf(b))!.at.getTime());
    const page = [...open.map((e) => ({ e, skipped: false })), ...skipped.map((e) => ({ e, skipped: true }))].slice(0, limit);
    const items = await Promise.all(page.map(({ e, skipped: wasSkipped }) => this.item(e, wasSkipped)));
    return { items, total: open.length + skipped.length };
  }

  async decide(id: string, decision: { action: ReviewAction; intent?: string }, by: string): Promise<ReviewDecision> {
    const entry = await this.entryOf(id);
    if (decision.action === 'label' && (!decision.intent || !isIntent(decision.intent))) {
      throw new RangeError('intent must be one of the taxonomy ids (or "none") when labelling');
    }
    const record: ReviewDecision = {
      _id: id,
      action: decision.action,
      ...(decision.action === 'label' ? { intent: decision.intent as Intent } : {}),
      text: maskText(entry.text),
      ...(entry.nlu ? { botIntent: entry.nlu.intent } : {}),
      by,
      at: new Date(),
    };
    await this.decisions.replaceOne({ _id: id }, record, { upsert: true });
    return record;
  }

  /** Labelled turns the corpus has not taken yet. */
  labelledNotImported(): Promise<ReviewDecision[]> {
    return this.decisions.find({ action: 'label', importedAt: { $exists: false } }).sort({ at: 1 }).toArray();
  }

  async markImported(ids: string[], at = new Date()): Promise<void> {
    if (ids.length) await this.decisions.updateMany({ _id: { $in: ids } }, { $set: { importedAt: at } });
  }

  private async entryOf(id: string): Promise<TranscriptEntry> {
    const at = id.lastIndexOf('#');
    const seq = Number(id.slice(at + 1));
    const entry = at > 0 && Number.isInteger(seq) ? await this.transcripts.findOne({ conversationId: id.slice(0, at), seq, direction: 'inbound' }) : null;
    if (!entry) throw new ReviewNotFound(`No customer turn ${id} (it may have expired with its transcript).`);
    return entry;
  }

  private async item(entry: TranscriptEntry, skipped: boolean): Promise<ReviewItem> {
    const [before, after] = await Promise.all([
      this.transcripts.find({ conversationId: entry.conversationId, seq: { $lt: entry.seq } }).sort({ seq: -1 }).limit(CONTEXT_BEFORE).toArray(),
      this.transcripts.find({ conversationId: entry.conversationId, seq: { $gt: entry.seq } }).sort({ seq: 1 }).limit(CONTEXT_AFTER).toArray(),
    ]);
    const line = (e: TranscriptEntry) => ({ seq: e.seq, direction: e.direction, sender: e.sender, text: maskText(e.text), current: e.seq === entry.seq });
    return {
      id: ReviewQueue.idOf(entry),
      conversationId: entry.conversationId,
      channel: entry.channel,
      at: entry.at,
      text: maskText(entry.text),
      signals: entry.review ?? [],
      ...(entry.nlu ? { intent: entry.nlu.intent, score: entry.nlu.score } : {}),
      ...(entry.suggestedIntent ? { suggestedIntent: entry.suggestedIntent } : {}),
      skipped,
      context: [...before.reverse(), entry, ...after].map(line),
    };
  }
}
