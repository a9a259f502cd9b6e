import type { UpdateFilter } from 'mongodb';
import type { Routing } from './departments.js';
import { BOT, evidenceOf, type TicketDoc } from './documents.js';
import { repeatPriority } from './priority.js';
import type { TicketRequest } from './request.js';
import type { HistoryEntry } from './types.js';

/**
 * The update that folds a repeat complaint into the open ticket `existing`: the new evidence is
 * appended, the count goes up and the priority one level, and the history says why. The caller
 * applies it only if `existing` is still the current revision.
 */
export function repeatUpdate(existing: TicketDoc, request: TicketRequest, routing: Routing, now: Date): UpdateFilter<TicketDoc> {
  const priority = repeatPriority(existing.priority, {
    requested: request.priority,
    escalationRisk: request.escalationRisk,
    minPriority: routing.minPriority,
  });
  const evidence = evidenceOf(request);
  const reference = request.reference ? `(临时登记号 ${request.reference})` : '';
  const entry: HistoryEntry = {
    // When the customer complained, which for a replayed outbox entry is earlier than now.
    at: new Date(request.receivedAt),
    by: BOT,
    action: 'repeat',
    from: existing.priority,
    to: priority,
    note: `客户再次投诉,第 ${existing.repeatCount + 1} 次重复${reference}:${request.summary}`,
  };
  // Later values win: a fresh speed test says more about the line than the first one did.
  const values = Object.fromEntries(Object.entries(evidence.values).map(([k, v]) => [`evidence.values.${k}`, v]));
  const push: Record<string, unknown> = {
    'evidence.steps': { $each: evidence.steps },
    history: entry,
    requestIds: request.requestId,
  };
  if (request.reference) push.references = request.reference;
  return {
    $set: {
      ...values,
      priority,
      updatedAt: now,
      ...(request.escalationRisk ? { escalationRisk: true } : {}),
    },
    $push: push,
    $inc: { repeatCount: 1, rev: 1 },
  } as UpdateFilter<TicketDoc>;
}
