/**
 * Channels retry a delivery they think was lost. Each inbound activity id is claimed once in MongoDB
 * (a unique _id, so this holds across nodes); a retry is not processed again. With expectReplies the
 * retry gets the replies of the first delivery, because that HTTP answer is the only way they arrive.
 */
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Activity } from 'botbuilder';

interface DeliveryRecord {
  _id: string;
  at: Date;
  /** Replies of the finished turn, kept for expectReplies retries. */
  replies?: Array<Partial<Activity>>;
}

const DUPLICATE_KEY = 11000;
/** Channels retry within minutes; a day is ample and keeps the collection small. */
const KEEP_SECONDS = 24 * 3600;

export type Claim = { first: true } | { first: false; replies?: Array<Partial<Activity>> };

export class DeliveryDedupe {
  private readonly deliveries: Collection<DeliveryRecord>;

  constructor(db: Db) {
    this.deliveries = db.collection<DeliveryRecord>('inbound_deliveries');
  }

  init(): Promise<string> {
    return this.deliveries.createIndex({ at: 1 }, { expireAfterSeconds: KEEP_SECONDS });
  }

  static keyOf(activity: Partial<Activity>): string | undefined {
    if (!activity.id || !activity.conversation?.id) return undefined;
    return `${activity.channelId ?? ''}|${activity.conversation.id}|${activity.id}`;
  }

  async claim(key: string): Promise<Claim> {
    try {
      await this.deliveries.insertOne({ _id: key, at: new Date() });
      return { first: true };
    } catch (err) {
      if (!(err instanceof MongoServerError) || err.code !== DUPLICATE_KEY) throw err;
      const seen = await this.deliveries.findOne({ _id: key });
      return seen?.replies ? { first: false, replies: seen.replies } : { first: false };
    }
  }

  async finished(key: string, replies: Array<Partial<Activity>>): Promise<void> {
    await this.deliveries.updateOne({ _id: key }, { $set: { replies } });
  }

  /** A turn that failed before answering may be retried by the channel. */
  async release(key: string): Promise<void> {
    await this.deliveries.deleteOne({ _id: key });
  }
}
