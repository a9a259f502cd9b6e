/**
 * Every Direct Line conversation's activities in MongoDB, numbered per conversation: the watermark a
 * client sends is the number of the last activity it has, so any node answers any poll. Idle
 * conversations expire (TTL on their last activity) and take their activities with them.
 */
import type { Activity } from 'botbuilder';
import type { Collection, Db } from 'mongodb';

interface ConversationDoc {
  _id: string;
  /** The customer's id in this conversation (Web Chat's user id). */
  userId: string;
  lastSeq: number;
  lastActive: Date;
}

interface LoggedActivity {
  conversationId: string;
  seq: number;
  activity: Partial<Activity>;
  clientActivityId?: string;
  at: Date;
}

/** How long a numbered activity may take to be written before its number is given up as lost. */
const GAP_GRACE_MS = 10_000;

export class ActivityLog {
  private readonly conversations: Collection<ConversationDoc>;
  private readonly activities: Collection<LoggedActivity>;

  constructor(
    db: Db,
    private readonly idleSeconds: number,
  ) {
    this.conversations = db.collection<ConversationDoc>('directline_conversations');
    this.activities = db.collection<LoggedActivity>('directline_activities');
  }

  async init(): Promise<void> {
    await this.activities.createIndex({ conversationId: 1, seq: 1 }, { unique: true });
    await this.activities.createIndex({ conversationId: 1, clientActivityId: 1 });
    await this.conversations.createIndex({ lastActive: 1 }, { expireAfterSeconds: this.idleSeconds });
    await this.activities.createIndex({ at: 1 }, { expireAfterSeconds: this.idleSeconds });
  }

  async open(conversationId: string, userId: string): Promise<void> {
    await this.conversations.insertOne({ _id: conversationId, userId, lastSeq: 0, lastActive: new Date() });
  }

  /** The conversation, unless it never existed or has been idle too long. */
  async find(conversationId: string): Promise<ConversationDoc | null> {
    const found = await this.conversations.findOne({ _id: conversationId });
    if (!found || found.lastActive.getTime() + this.idleSeconds * 1000 < Date.now()) return null;
    return found;
  }

  /** Appends with the next number; the activity's id is `<conversation>|<number>`, as Direct Line's are. */
  async append(conversationId: string, activity: Partial<Activity>, clientActivityId?: string): Promise<Partial<Activity>> {
    const conversation = await this.conversations.findOneAndUpdate(
      { _id: conversationId },
      { $inc: { lastSeq: 1 }, $set: { lastActive: new Date() } },
      { returnDocument: 'after' },
    );
    if (!conversation) throw new Error('the Direct Line conversation has expired');
    const seq = conversation.lastSeq;
    const stamped = { ...activity, id: `${conversationId}|${String(seq).padStart(7, '0')}`, timestamp: new Date() } as Partial<Activity>;
    const stored = JSON.parse(JSON.stringify(stamped)) as Partial<Activity>;
    await this.activities.insertOne({ conversationId, seq, activity: stored, at: new Date(), ...(clientActivityId ? { clientActivityId } : {}) });
    return stored;
  }

  /** The customer's activity already taken under this client id (Web Chat re-posting after a timeout). */
  async byClientId(conversationId: string, clientActivityId: string): Promise<Partial<Activity> | undefined> {
    const found = await this.activities.findOne({ conversationId, clientActivityId });
    return found?.activity;
  }

  /**
   * Activities after the watermark, oldest first, and the watermark that follows them. A number is taken
   * before its activity is written, so a later one can be readable first (another node's write, or the
   * customer's echo beside a reply): the answer stops before such a gap, or a client that moved its
   * watermark past it would never see the missing activity. A gap older than GAP_GRACE_MS is a write that
   * failed, and is passed over.
   */
  async after(conversationId: string, watermark: number, limit = 100): Promise<{ activities: Array<Partial<Activity>>; watermark: number }> {
    const rows = await this.activities.find({ conversationId, seq: { $gt: watermark } }).sort({ seq: 1 }).limit(limit).toArray();
    const ready: LoggedActivity[] = [];
    let next = watermark + 1;
    for (const row of rows) {
      if (row.seq !== next && Date.now() - row.at.getTime() < GAP_GRACE_MS) break;
      ready.push(row);
      next = row.seq + 1;
    }
    return { activities: ready.map((r) => r.activity), watermark: ready.at(-1)?.seq ?? watermark };
  }

  async touch(conversationId: string): Promise<void> {
    await this.conversations.updateOne({ _id: conversationId }, { $set: { lastActive: new Date() } });
  }
}
