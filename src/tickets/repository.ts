import type { Collection, Db, Filter, IndexDescription, UpdateFilter } from 'mongodb';
import type { TicketDoc } from './documents.js';
import { duplicateKeyOf } from './errors.js';
import type { TicketFilter } from './types.js';

export const TICKETS_COLLECTION = 'tickets';

const INDEXES: IndexDescription[] = [
  { key: { number: 1 }, name: 'number_unique', unique: true },
  // One open ticket per customer and complaint, across all nodes. Partial, so closed tickets drop out.
  { key: { openKey: 1 }, name: 'open_key_unique', unique: true, partialFilterExpression: { openKey: { $exists: true } } },
  // A request id lives in exactly one ticket: replaying the outbox cannot apply a request twice.
  { key: { requestIds: 1 }, name: 'request_ids_unique', unique: true, partialFilterExpression: { requestIds: { $exists: true } } },
  { key: { references: 1 }, name: 'references' },
  { key: { account: 1, category: 1, status: 1 }, name: 'account_category_status' },
  { key: { conversationId: 1 }, name: 'conversation' },
  { key: { status: 1, resolveDue: 1 }, name: 'status_resolve_due' },
  { key: { createdAt: -1 }, name: 'created_desc' },
];

export type InsertOutcome = 'inserted' | 'open_key_taken' | 'request_taken';

/** Storage of ticket documents only: no business rules here, they live in the service and its helpers. */
export class TicketRepository {
  private readonly tickets: Collection<TicketDoc>;

  constructor(db: Db) {
    this.tickets = db.collection<TicketDoc>(TICKETS_COLLECTION);
  }

  /** Safe to call on every start-up: creating an index that exists with the same options is a no-op. */
  async init(): Promise<void> {
    await this.tickets.createIndexes(INDEXES);
  }

  findByRequestId(requestId: string): Promise<TicketDoc | null> {
    return this.tickets.findOne({ requestIds: requestId });
  }

  findOpen(openKey: string): Promise<TicketDoc | null> {
    return this.tickets.findOne({ openKey });
  }

  /** By ticket number or by a provisional reference the customer was given while storage was down. */
  findByNumber(numberOrReference: string): Promise<TicketDoc | null> {
    return this.tickets.findOne({ $or: [{ number: numberOrReference }, { references: numberOrReference }] });
  }

  list(filter: TicketFilter, limit: number): Promise<TicketDoc[]> {
    const query: Filter<TicketDoc> = {};
    if (filter.conversationId !== undefined) query.conversationId = filter.conversationId;
    if (filter.account !== undefined) query.account = filter.account;
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.category !== undefined) query.category = filter.category;
    return this.tickets.find(query).sort({ createdAt: -1, number: -1 }).limit(limit).toArray();
  }

  async insert(doc: TicketDoc): Promise<InsertOutcome> {
    try {
      await this.tickets.insertOne({ ...doc });
      return 'inserted';
    } catch (err) {
      const dup = duplicateKeyOf(err);
      if (dup?.fields.includes('openKey')) return 'open_key_taken';
      if (dup?.fields.includes('requestIds')) return 'request_taken';
      throw err;
    }
  }

  /**
   * Applies `update` only if nobody changed the ticket since `current` was read; null when somebody
   * did, and the caller re-reads and decides again.
   */
  updateIfCurrent(current: TicketDoc, update: UpdateFilter<TicketDoc>): Promise<TicketDoc | null> {
    return this.tickets.findOneAndUpdate({ number: current.number, rev: current.rev }, update, { returnDocument: 'after' });
  }
}
