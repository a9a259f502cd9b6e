/**
 * The review queue: customer turns the bot was unsure of (the transcript's review signals), shown
 * masked with a little of their conversation, and what a reviewer decided about each. The decision is
 * kept twice: its state on the transcript entry (so the queue is one indexed query however many turns
 * were already reviewed) and a record in review_decisions with the masked text and label, so the
 * corpus import does not depend on transcripts that expire.
 */
import type { Collection, Db, Filter } from 'mongodb';
import { isIntent, type Intent } from '../nlu/taxonomy.js';
import type { HolderLookup } from '../transcripts/export-holders.js';
import { maskText } from '../transcripts/masking.js';
import type { TranscriptEntry } from '../transcripts/transcript-store.js';
import { conversationHolders } from './conversation-holders.js';

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
  /** Where the turn came from, for the corpus's source note. */
  conversationId?: string;
  turnAt?: Date;
  signals?: string[];
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
  /** A label given earlier that an import refused (the turn was put back for another look). */
  earlierLabel?: string;
  context: Array<{ seq: number; direction: string; sender: string; text: string; current: boolean }>;
}

/** A transcript entry with the review state this module keeps on it. */
type ReviewedEntry = TranscriptEntry & { reviewState?: ReviewAction; reviewedAt?: Date };

const CONTEXT_BEFORE = 4;
const CONTEXT_AFTER = 4;
const FLAGGED: Filter<ReviewedEntry> = { direction: 'inbound', review: { $exists: true, $ne: [] } };

export class ReviewNotFound extends Error {}
/** The import has taken the turn: a new label here would not reach the corpus. */
export class ReviewAlreadyImported extends Error {}

export class ReviewQueue {
  private readonly transcripts: Collection<ReviewedEntry>;
  private readonly decisions: Collection<ReviewDecision>;

  /** `holderOf`: the back office's holder names, masked in everything the queue shows or stores. */
  constructor(
    private readonly db: Db,
    private readonly holderOf?: HolderLookup,
  ) {
    this.transcripts = db.collection<ReviewedEntry>('transcripts');
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
    const open: Filter<ReviewedEntry> = { ...FLAGGED, reviewState: { $exists: false } };
    const skipped: Filter<ReviewedEntry> = { ...FLAGGED, reviewState: 'skip' };
    const [fresh, openCount, skippedCount] = await Promise.all([
      this.transcripts.find(open).sort({ at: -1 }).limit(limit).toArray(),
      this.transcripts.countDocuments(open),
      this.transcripts.countDocuments(skipped),
    ]);
    const again = fresh.length < limit ? await this.transcripts.find(skipped).sort({ reviewedAt: 1 }).limit(limit - fresh.length).toArray() : [];
    const holders = new Map<string, Promise<string[]>>();
    const holdersOf = (conversationId: string) => {
      if (!holders.has(conversationId)) holders.set(conversationId, conversationHolders(this.db, conversationId, this.holderOf));
      return holders.get(conversationId)!;
    };
    const page = [...fresh, ...again];
    const earlier = new Map(
      (await this.decisions.find({ _id: { $in: page.map((e) => ReviewQueue.idOf(e)) }, action: 'label' }).toArray()).map((d) => [d._id, d.intent]),
    );
    const items = await Promise.all(
      page.map(async (e) => ({
        ...(await this.item(e, e.reviewState === 'skip', await holdersOf(e.conversationId))),
        ...(earlier.get(ReviewQueue.idOf(e)) ? { earlierLabel: earlier.get(ReviewQueue.idOf(e)) } : {}),
      })),
    );
    return { items, total: openCount + skippedCount };
  }

  async decide(id: string, decision: { action: ReviewAction; intent?: string }, by: string): Promise<ReviewDecision> {
    if (decision.action === 'label' && (!decision.intent || !isIntent(decision.intent))) {
      throw new RangeError('intent must be one of the taxonomy ids (or "none") when labelling');
    }
    const [entry, earlier] = await Promise.all([this.entryOf(id), this.decisions.findOne({ _id: id })]);
    if (earlier?.importedAt) {
      throw new ReviewAlreadyImported(
        `Turn ${id} was already taken by npm run corpus:import-reviewed (added, or left out as a duplicate); change it in corpus/intents/reviewed.json if it is there.`,
      );
    }
    // A transcript past its retention is gone, but a turn already decided can still be decided again
    // (say, after an import was refused because of its label): its masked text was kept.
    if (!entry && !earlier) throw new ReviewNotFound(`No customer turn ${id} (it may have expired with its transcript).`);
    const source = entry
      ? {
          text: maskText(entry.text, { holder: await conversationHolders(this.db, entry.conversationId, this.holderOf) }),
          ...(entry.nlu ? { botIntent: entry.nlu.intent } : {}),
          conversationId: entry.conversationId,
          turnAt: entry.at,
          signals: entry.review ?? [],
        }
      : {
          text: earlier!.text,
          ...(earlier!.botIntent ? { botIntent: earlier!.botIntent } : {}),
          ...(earlier!.conversationId ? { conversationId: earlier!.conversationId } : {}),
          ...(earlier!.turnAt ? { turnAt: earlier!.turnAt } : {}),
          ...(earlier!.signals ? { signals: earlier!.signals } : {}),
        };
    const record: ReviewDecision = {
      _id: id,
      action: decision.action,
      ...(decision.action === 'label' ? { intent: decision.intent as Intent } : {}),
      ...source,
      by,
      at: new Date(),
    };
    await this.decisions.replaceOne({ _id: id }, record, { upsert: true });
    // Second, so a failure here leaves the turn in the queue to be decided again, not lost.
    if (entry) await this.transcripts.updateOne({ conversationId: entry.conversationId, seq: entry.seq }, { $set: { reviewState: record.action, reviewedAt: record.at } });
    return record;
  }

  /** Labelled turns the corpus has not taken yet. */
  labelledNotImported(): Promise<ReviewDecision[]> {
    return this.decisions.find({ action: 'label', importedAt: { $exists: false } }).sort({ at: 1 }).toArray();
  }

  async markImported(ids: string[], at = new Date()): Promise<void> {
    if (ids.length) await this.decisions.updateMany({ _id: { $in: ids } }, { $set: { importedAt: at } });
  }

  /** Back into the queue (an import refused their labels); their labels stay until a reviewer changes them. */
  async requeue(ids: string[]): Promise<number> {
    const keys = ids.map((id) => ({ conversationId: id.slice(0, id.lastIndexOf('#')), seq: Number(id.slice(id.lastIndexOf('#') + 1)) }));
    if (!keys.length) return 0;
    const result = await this.transcripts.updateMany({ $or: keys }, { $unset: { reviewState: '', reviewedAt: '' } });
    return result.matchedCount;
  }

  private async entryOf(id: string): Promise<ReviewedEntry | null> {
    const at = id.lastIndexOf('#');
    const seq = Number(id.slice(at + 1));
    return at > 0 && Number.isInteger(seq) ? this.transcripts.findOne({ conversationId: id.slice(0, at), seq, direction: 'inbound' }) : null;
  }

  private async item(entry: ReviewedEntry, skipped: boolean, holder: string[]): Promise<ReviewItem> {
    const [before, after] = await Promise.all([
      this.transcripts.find({ conversationId: entry.conversationId, seq: { $lt: entry.seq } }).sort({ seq: -1 }).limit(CONTEXT_BEFORE).toArray(),
      this.transcripts.find({ conversationId: entry.conversationId, seq: { $gt: entry.seq } }).sort({ seq: 1 }).limit(CONTEXT_AFTER).toArray(),
    ]);
    const masked = (text: string) => maskText(text, { holder });
    const line = (e: TranscriptEntry) => ({ seq: e.seq, direction: e.direction, sender: e.sender, text: masked(e.text), current: e.seq === entry.seq });
    return {
      id: ReviewQueue.idOf(entry),
      conversationId: entry.conversationId,
      channel: entry.channel,
      at: entry.at,
      text: masked(entry.text),
      signals: entry.review ?? [],
      ...(entry.nlu ? { intent: entry.nlu.intent, score: entry.nlu.score } : {}),
      ...(entry.suggestedIntent ? { suggestedIntent: entry.suggestedIntent } : {}),
      skipped,
      context: [...before.reverse(), entry, ...after].map(line),
    };
  }
}
