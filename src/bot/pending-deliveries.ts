/**
 * Proactive messages a channel did not take (a Bot Framework channel that was unreachable, a test
 * client that only reads expectReplies answers): kept in MongoDB and sent with the customer's next turn,
 * so an agent's words are late rather than lost.
 */
import type { Activity } from 'botbuilder';
import type { Collection, Db } from 'mongodb';

interface PendingDelivery {
  conversationId: string;
  activities: Array<Partial<Activity>>;
  at: Date;
}

const KEEP_SECONDS = 7 * 24 * 3600;

export class PendingDeliveries {
  private readonly pending: Collection<PendingDelivery>;

  constructor(db: Db) {
    this.pending = db.collection<PendingDelivery>('pending_deliveries');
  }

  async init(): Promise<void> {
    await this.pending.createIndex({ conversationId: 1, at: 1 });
    await this.pending.createIndex({ at: 1 }, { expireAfterSeconds: KEEP_SECONDS });
  }

  async keep(conversationId: string, activities: Array<Partial<Activity>>): Promise<void> {
    await this.pending.insertOne({ conversationId, activities: JSON.parse(JSON.stringify(activities)) as Array<Partial<Activity>>, at: new Date() });
  }

  /** Everything waiting for the conversation, oldest first, removed as it is taken. */
  async take(conversationId: string): Promise<Array<Partial<Activity>>> {
    const waiting = await this.pending.find({ conversationId }).sort({ at: 1 }).toArray();
    if (waiting.length === 0) return [];
    await this.pending.deleteMany({ _id: { $in: waiting.map((w) => w._id) } });
    return waiting.flatMap((w) => w.activities);
  }
}
