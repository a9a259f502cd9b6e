import type { Storage, StoreItems } from 'botbuilder';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { randomUUID } from 'node:crypto';

interface StateRecord {
  _id: string;
  eTag: string;
  /** The item as JSON text: bot state keys may contain "." or "$", which MongoDB field names dislike. */
  state: string;
  updatedAt: Date;
}

const DUPLICATE_KEY = 11000;
/**
 * Conversation state of a customer who has been silent this long is dropped: a complaint is never
 * resumed after a month, and the state holds personal data (account, phone) that should not linger.
 * Tickets, outcomes and transcripts keep what matters.
 */
export const STATE_RETENTION_SECONDS = 30 * 24 * 3600;

function conflict(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

/**
 * botbuilder Storage over MongoDB with optimistic concurrency, so several bot nodes can share
 * conversation and user state. Semantics follow botbuilder's MemoryStorage: no eTag or "*" writes
 * unconditionally; any other eTag must match the stored one or the write is rejected.
 */
export class MongoBotStorage implements Storage {
  private readonly records: Collection<StateRecord>;

  constructor(db: Db, collectionName = 'bot_state') {
    this.records = db.collection<StateRecord>(collectionName);
  }

  /** The TTL index that expires idle state; call once at start-up. */
  async init(): Promise<void> {
    await this.records.createIndex({ updatedAt: 1 }, { expireAfterSeconds: STATE_RETENTION_SECONDS });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const found = await this.records.find({ _id: { $in: keys } }).toArray();
    for (const record of found) {
      items[record._id] = { ...JSON.parse(record.state), eTag: record.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length > 0) await this.records.deleteMany({ _id: { $in: keys } });
  }

  private async writeOne(key: string, item: Record<string, unknown>): Promise<void> {
    const { eTag: expected, ...rest } = item;
    const next = { eTag: randomUUID(), state: JSON.stringify(rest), updatedAt: new Date() };
    if (expected === undefined || expected === null || expected === '*') {
      await this.records.updateOne({ _id: key }, { $set: next }, { upsert: true });
      return;
    }
    const updated = await this.records.updateOne({ _id: key, eTag: String(expected) }, { $set: next });
    if (updated.matchedCount === 1) return;
    // No match: either someone else wrote first (conflict) or the item does not exist yet.
    try {
      await this.records.insertOne({ _id: key, ...next });
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) throw conflict(key);
      throw err;
    }
  }
}
