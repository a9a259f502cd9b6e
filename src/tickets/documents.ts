import type { ObjectId } from 'mongodb';
import { dueDates, type SlaSettings } from './sla.js';
import type { Routing } from './departments.js';
import { initialPriority } from './priority.js';
import type { TicketRequest } from './request.js';
import type { Evidence, Ticket } from './types.js';

/** The stored shape: the public ticket plus the bookkeeping that makes concurrent writers safe. */
export interface TicketDoc extends Ticket {
  _id?: ObjectId;
  /** Present only while the ticket is open; a unique partial index allows one open ticket per key. */
  openKey?: string;
  /** Every request folded into this ticket; unique across tickets, which makes replays idempotent. */
  requestIds: string[];
  /** Bumped on every change, for optimistic concurrency. */
  rev: number;
}

/** The name the bot signs its own history entries with. */
export const BOT = 'bot';

export function evidenceOf(request: TicketRequest): Evidence {
  return {
    steps: request.steps.map((s) => ({ step: s.step, outcome: s.outcome, at: new Date(s.at) })),
    values: { ...request.values },
  };
}

export function newTicketDoc(
  request: TicketRequest,
  number: string,
  routing: Routing,
  openKey: string,
  sla: SlaSettings,
): TicketDoc {
  const receivedAt = new Date(request.receivedAt);
  const replayed = request.reference !== undefined;
  return {
    number,
    references: request.reference ? [request.reference] : [],
    conversationId: request.conversationId,
    channel: request.channel,
    ...(request.account ? { account: request.account } : {}),
    intent: request.intent,
    category: request.category,
    priority: initialPriority({ requested: request.priority, escalationRisk: request.escalationRisk, minPriority: routing.minPriority }),
    status: 'open',
    department: routing.department,
    summary: request.summary,
    evidence: evidenceOf(request),
    escalationRisk: request.escalationRisk,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    ...dueDates(receivedAt, sla),
    repeatCount: 0,
    history: [
      {
        at: receivedAt,
        by: BOT,
        action: 'created',
        to: 'open',
        ...(replayed ? { note: `存储恢复后补录,临时登记号 ${request.reference}` } : {}),
      },
    ],
    openKey,
    requestIds: [request.requestId],
    rev: 0,
  };
}

export function toTicket(doc: TicketDoc): Ticket {
  const { _id, openKey, requestIds, rev, ...ticket } = doc;
  return ticket;
}
