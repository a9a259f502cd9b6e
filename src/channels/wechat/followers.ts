/**
 * A follower is known to the rest of the service only by a conversation id derived from the app and
 * their OpenID (so one follower keeps one conversation); the OpenID itself is kept here alone, for the
 * customer-service API, and never reaches logs, transcripts or hand-off records.
 */
import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';

interface FollowerRecord {
  _id: string;
  openId: string;
  lastSeen: Date;
}

export function followerConversationId(appKey: string, openId: string): string {
  return `wechat-${createHash('sha256').update(`${appKey}\n${openId}`).digest('hex').slice(0, 32)}`;
}

export class Followers {
  private readonly followers: Collection<FollowerRecord>;

  constructor(db: Db) {
    this.followers = db.collection<FollowerRecord>('wechat_followers');
  }

  async seen(conversationId: string, openId: string): Promise<void> {
    await this.followers.updateOne({ _id: conversationId }, { $set: { openId, lastSeen: new Date() } }, { upsert: true });
  }

  async openIdOf(conversationId: string): Promise<string | undefined> {
    return (await this.followers.findOne({ _id: conversationId }))?.openId;
  }
}
