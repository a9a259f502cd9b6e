/**
 * WeChat re-sends a message it got no answer for (up to three times, about 5 s apart). Each message is
 * claimed once in MongoDB (its key is the unique _id, so this holds across nodes), and how it was
 * answered is kept so a retry gets the same passive reply, or `success` when the reply went (or will go)
 * through the customer-service API. Exactly one of the two ways is taken: whoever moves the record out
 * of `running` first decides.
 */
import { MongoServerError, type Collection, type Db } from 'mongodb';

type State = 'running' | 'replied' | 'deferred';

interface DeliveryRecord {
  _id: string;
  state: State;
  /** The passive reply, when state is `replied`. */
  reply?: string;
  at: Date;
}

const DUPLICATE_KEY = 11000;
/** WeChat retries within seconds; a day keeps the collection small and covers any replay. */
const KEEP_SECONDS = 24 * 3600;
const POLL_MS = 100;

export type Settled = { state: 'replied'; reply: string } | { state: 'deferred' } | { state: 'running' };

export class InboundDeliveries {
  private readonly deliveries: Collection<DeliveryRecord>;
  private indexed?: Promise<unknown>;

  constructor(db: Db) {
    this.deliveries = db.collection<DeliveryRecord>('wechat_inbound');
  }

  /** Created on first use (and retried after a failure) rather than at start-up. */
  private ensureIndex(): void {
    this.indexed ??= this.deliveries.createIndex({ at: 1 }, { expireAfterSeconds: KEEP_SECONDS }).catch(() => (this.indexed = undefined));
  }

  /** True when this is the first delivery of `key`. */
  async claim(key: string): Promise<boolean> {
    this.ensureIndex();
    try {
      await this.deliveries.insertOne({ _id: key, state: 'running', at: new Date() });
      return true;
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  /** The turn failed: WeChat's next retry may run it again. */
  async release(key: string): Promise<void> {
    await this.deliveries.deleteOne({ _id: key, state: 'running' });
  }

  /** Answer passively with `reply`, unless a retry already chose the API (then false). */
  async reply(key: string, reply: string): Promise<boolean> {
    const result = await this.deliveries.updateOne({ _id: key, state: 'running' }, { $set: { state: 'replied', reply } });
    return result.modifiedCount === 1;
  }

  /** The reply will go through the customer-service API; false if it was already given passively. */
  async defer(key: string): Promise<boolean> {
    const result = await this.deliveries.updateOne({ _id: key, state: 'running' }, { $set: { state: 'deferred' } });
    if (result.modifiedCount === 1) return true;
    return (await this.deliveries.findOne({ _id: key }))?.state === 'deferred';
  }

  async current(key: string): Promise<Settled> {
    const record = await this.deliveries.findOne({ _id: key });
    if (record?.state === 'replied') return { state: 'replied', reply: record.reply ?? '' };
    if (record?.state === 'deferred') return { state: 'deferred' };
    return { state: 'running' };
  }

  /** Waits (until `deadline`) for the first delivery's turn to be answered one way or the other. */
  async settled(key: string, deadline: number): Promise<Settled> {
    for (;;) {
      const now = await this.current(key);
      if (now.state !== 'running' || Date.now() + POLL_MS > deadline) return now;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
