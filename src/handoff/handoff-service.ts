/**
 * The hand-off queue: customers waiting for a person, agents accepting them (one agent per
 * conversation, decided atomically in MongoDB so two desks cannot both take it), relaying, closing,
 * and customers nobody picked up in time, who get a call-back instead. Any node can serve any step.
 */
import type { ConversationReference } from 'botbuilder';
import type { Collection, Db } from 'mongodb';
import type { Account, CarrierPort } from '../carrier/index.js';
import type { TriedStep } from '../engine/conversation-state.js';
import type { HandoffAnswer, HandoffRequest } from '../engine/handoff-port.js';
import type { Logger } from '../logger.js';
import type { TicketService } from '../tickets/service.js';
import type { Ticket } from '../tickets/types.js';
import type { TranscriptEntry, TranscriptStore } from '../transcripts/transcript-store.js';
import type { AgentPresence } from './agent-presence.js';
import type { CustomerChannel } from './customer-channel.js';
import { HandoffConflictError, HandoffNotFoundError } from './errors.js';
import type { ServiceHours } from './service-hours.js';

export type HandoffStatus = 'waiting' | 'active' | 'closed' | 'timed_out' | 'cancelled';

export interface HandoffRecord extends HandoffRequest {
  _id: string;
  channel: string;
  status: HandoffStatus;
  since: Date;
  agent?: string;
  acceptedAt?: Date;
  closedAt?: Date;
  resolution?: string;
  /** How to reach the customer proactively (botbuilder ConversationReference, as JSON). */
  reference: Partial<ConversationReference>;
}

export interface QueueItem {
  conversationId: string;
  channel: string;
  since: Date;
  intent: string;
  category: string;
  account?: string;
  summary: string;
  status: HandoffStatus;
  agent?: string;
}

export interface HandoffContext {
  conversation: QueueItem;
  transcript: TranscriptEntry[];
  steps: TriedStep[];
  account: Omit<Account, 'holder' | 'phone' | 'address'> | null;
  tickets: Ticket[];
}

export interface HandoffServiceDeps {
  db: Db;
  presence: AgentPresence;
  hours: ServiceHours;
  timeoutMinutes: number;
  transcripts: TranscriptStore;
  tickets: TicketService;
  carrier: CarrierPort;
  logger: Logger;
  clock?: () => Date;
}

const OPEN: HandoffStatus[] = ['waiting', 'active'];

function queueItem(record: HandoffRecord): QueueItem {
  return {
    conversationId: record._id,
    channel: record.channel,
    since: record.since,
    intent: record.intent,
    category: record.category,
    ...(record.account ? { account: record.account } : {}),
    summary: record.summary,
    status: record.status,
    ...(record.agent ? { agent: record.agent } : {}),
  };
}

export class HandoffService {
  private readonly records: Collection<HandoffRecord>;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private customer: CustomerChannel | undefined;

  constructor(private readonly deps: HandoffServiceDeps) {
    this.records = deps.db.collection<HandoffRecord>('handoffs');
    this.clock = deps.clock ?? (() => new Date());
    this.logger = deps.logger.child({ component: 'handoff' });
  }

  /** The bot layer, which is built after this service, is how customers are reached. */
  connect(customer: CustomerChannel): void {
    this.customer = customer;
  }

  async init(): Promise<void> {
    await this.records.createIndex({ status: 1, since: 1 });
  }

  /** A customer asks for a person: queue them, or say why nobody can come. */
  async request(conversationId: string, channel: string, reference: Partial<ConversationReference>, request: HandoffRequest): Promise<HandoffAnswer> {
    const existing = await this.current(conversationId);
    if (existing) return { kind: 'queued', position: await this.position(existing) };
    const now = this.clock();
    if (!this.deps.hours.isOpen(now)) return { kind: 'unavailable', reason: 'outside_hours' };
    if (!(await this.deps.presence.anyoneOnline())) return { kind: 'unavailable', reason: 'nobody_online' };
    const record: HandoffRecord = { _id: conversationId, channel, status: 'waiting', since: now, reference, ...request };
    await this.records.replaceOne({ _id: conversationId }, record, { upsert: true });
    this.logger.info({ category: request.category }, 'customer queued for an agent');
    return { kind: 'queued', position: await this.position(record) };
  }

  /** The conversation's hand-off while someone waits or talks to an agent; null otherwise. */
  current(conversationId: string): Promise<HandoffRecord | null> {
    return this.records.findOne({ _id: conversationId, status: { $in: OPEN } });
  }

  /** 1 for the first in line. */
  async position(record: Pick<HandoffRecord, 'since'>): Promise<number> {
    return this.records.countDocuments({ status: 'waiting', since: { $lte: record.since } });
  }

  async queue(): Promise<{ waiting: QueueItem[]; active: QueueItem[] }> {
    const open = await this.records.find({ status: { $in: OPEN } }).sort({ since: 1 }).toArray();
    return {
      waiting: open.filter((r) => r.status === 'waiting').map(queueItem),
      active: open.filter((r) => r.status === 'active').map(queueItem),
    };
  }

  async accept(conversationId: string, agent: string): Promise<HandoffContext> {
    const record = await this.records.findOneAndUpdate(
      { _id: conversationId, status: 'waiting' },
      { $set: { status: 'active', agent, acceptedAt: this.clock() } },
      { returnDocument: 'after' },
    );
    if (!record) {
      const other = await this.records.findOne({ _id: conversationId });
      if (!other) throw new HandoffNotFoundError(conversationId);
      throw new HandoffConflictError(other.status === 'active' ? `Agent ${other.agent} has already accepted this conversation.` : `The conversation is ${other.status}.`);
    }
    this.logger.info({ agent }, 'agent accepted a conversation');
    await this.reach(() => this.customer?.agentJoined(record.reference, agent));
    return this.context(record);
  }

  async transcript(conversationId: string, afterSeq?: number): Promise<TranscriptEntry[]> {
    if (!(await this.records.findOne({ _id: conversationId }))) throw new HandoffNotFoundError(conversationId);
    return this.deps.transcripts.list(conversationId, afterSeq);
  }

  async message(conversationId: string, agent: string, text: string): Promise<void> {
    const record = await this.ownedBy(conversationId, agent);
    await this.reach(() => this.customer?.agentMessage(record.reference, agent, text));
  }

  async close(conversationId: string, agent: string, resolution?: string): Promise<void> {
    const record = await this.ownedBy(conversationId, agent);
    const closed = await this.records.findOneAndUpdate(
      { _id: conversationId, status: 'active', agent },
      { $set: { status: 'closed', closedAt: this.clock(), ...(resolution ? { resolution } : {}) } },
    );
    if (!closed) throw new HandoffConflictError('The conversation was closed meanwhile.');
    this.logger.info({ agent }, 'agent closed a conversation');
    await this.reach(() => this.customer?.agentClosed(record.reference));
  }

  /** The customer left the queue (取消) before anyone came. */
  async cancel(conversationId: string): Promise<void> {
    await this.records.updateOne({ _id: conversationId, status: 'waiting' }, { $set: { status: 'cancelled', closedAt: this.clock() } });
  }

  /** Nobody waits forever: customers not picked up in time are told and get a call-back. */
  async sweep(): Promise<number> {
    const deadline = new Date(this.clock().getTime() - this.deps.timeoutMinutes * 60_000);
    let count = 0;
    for (;;) {
      const record = await this.records.findOneAndUpdate(
        { status: 'waiting', since: { $lt: deadline } },
        { $set: { status: 'timed_out', closedAt: this.clock() } },
      );
      if (!record) return count;
      count += 1;
      this.logger.info({ waitedMinutes: this.deps.timeoutMinutes }, 'nobody accepted in time; call-back instead');
      await this.reach(() => this.customer?.timedOut(record.reference));
    }
  }

  private async ownedBy(conversationId: string, agent: string): Promise<HandoffRecord> {
    const record = await this.records.findOne({ _id: conversationId });
    if (!record) throw new HandoffNotFoundError(conversationId);
    if (record.status !== 'active' || record.agent !== agent) {
      throw new HandoffConflictError(record.status === 'active' ? `Agent ${record.agent} has this conversation.` : `The conversation is ${record.status}.`);
    }
    return record;
  }

  private async context(record: HandoffRecord): Promise<HandoffContext> {
    const [transcript, account, tickets] = await Promise.all([
      this.deps.transcripts.list(record._id),
      record.account ? this.deps.carrier.findAccount({ account: record.account }).catch(() => null) : Promise.resolve(null),
      this.ticketsOf(record),
    ]);
    const { holder: _h, phone: _p, address: _a, ...safeAccount } = account ?? ({} as Account);
    return { conversation: queueItem(record), transcript, steps: record.tried, account: account ? safeAccount : null, tickets };
  }

  private async ticketsOf(record: HandoffRecord): Promise<Ticket[]> {
    const lists = await Promise.all([
      this.deps.tickets.list({ conversationId: record._id }),
      record.account ? this.deps.tickets.list({ account: record.account }) : Promise.resolve([]),
    ]);
    const byNumber = new Map(lists.flat().map((t) => [t.number, t]));
    return [...byNumber.values()];
  }

  /** A customer who cannot be reached right now must not fail the agent's action. */
  private async reach(send: () => Promise<void> | undefined): Promise<void> {
    try {
      await send();
    } catch (err) {
      this.logger.warn({ err }, 'could not reach the customer');
    }
  }
}
