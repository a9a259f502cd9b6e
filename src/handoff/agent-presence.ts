/**
 * Which agents are online. An agent counts as online while they said so and their desk has polled
 * recently: a closed laptop must not keep customers queueing for nobody.
 */
import type { Collection, Db } from 'mongodb';

interface PresenceRecord {
  _id: string;
  status: 'online' | 'offline';
  since: Date;
  lastSeen: Date;
}

/** The desk polls every 2 s; two minutes of silence means the agent is gone. */
export const PRESENCE_TIMEOUT_MS = 120_000;

export class AgentPresence {
  private readonly records: Collection<PresenceRecord>;

  constructor(
    db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = db.collection<PresenceRecord>('agent_presence');
  }

  async set(agent: string, status: 'online' | 'offline'): Promise<void> {
    const now = this.clock();
    await this.records.updateOne({ _id: agent }, { $set: { status, since: now, lastSeen: now } }, { upsert: true });
  }

  /** Any authenticated call from the agent's desk. */
  async seen(agent: string): Promise<void> {
    await this.records.updateOne({ _id: agent }, { $set: { lastSeen: this.clock() } });
  }

  async anyoneOnline(): Promise<boolean> {
    const fresh = new Date(this.clock().getTime() - PRESENCE_TIMEOUT_MS);
    return (await this.records.countDocuments({ status: 'online', lastSeen: { $gte: fresh } })) > 0;
  }
}
