/**
 * Tickets opened, repeat complaints and SLA breaches per day and category (the category of the
 * ticket's intent, so a call-back counts under the complaint it is about).
 */
import type { Db } from 'mongodb';
import type { HistoryEntry, Ticket } from '../tickets/types.js';
import { categoryOfIntent, FigureGrid } from './figures.js';
import { beijingDay, dayOfField } from './period.js';

type SlaFields = Pick<Ticket, 'status' | 'firstResponseDue' | 'firstResponseAt' | 'resolveDue' | 'history'>;

/** When the ticket was last finished (resolved or closed) and not reopened since; undefined while open. */
export function finishedAt(history: HistoryEntry[]): Date | undefined {
  let at: Date | undefined;
  for (const h of history) {
    if (h.action !== 'status') continue;
    if (h.to === 'resolved' || h.to === 'closed') at ??= h.at;
    else at = undefined;
  }
  return at;
}

/**
 * A deadline is breached when it passed before the answer (or the resolution) came, or passed with none
 * yet. A ticket whose deadline is still ahead is not a breach, whatever happens later.
 */
export function slaBreaches(ticket: SlaFields, now: Date): { firstResponse: boolean; resolution: boolean } {
  const answered = ticket.firstResponseAt ?? now;
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed' ? (finishedAt(ticket.history) ?? now) : now;
  return {
    firstResponse: ticket.firstResponseDue < now && answered > ticket.firstResponseDue,
    resolution: ticket.resolveDue < now && resolved > ticket.resolveDue,
  };
}

export async function addTickets(db: Db, grid: FigureGrid, period: { $gte: Date; $lt: Date }, now: Date): Promise<void> {
  const tickets = db.collection<Ticket>('tickets');
  // SLA needs each ticket's history against the clock: read the period's tickets once, in TypeScript.
  const opened = tickets.find(
    { createdAt: period },
    { projection: { _id: 0, createdAt: 1, intent: 1, status: 1, firstResponseDue: 1, firstResponseAt: 1, resolveDue: 1, history: 1 } },
  );
  for await (const t of opened) {
    const day = beijingDay(t.createdAt);
    const category = categoryOfIntent(t.intent);
    grid.add(day, category, 'tickets');
    const breaches = slaBreaches(t, now);
    if (breaches.firstResponse) grid.add(day, category, 'slaFirstResponseBreaches');
    if (breaches.resolution) grid.add(day, category, 'slaResolutionBreaches');
  }

  // A repeat counts on the day the customer complained again, whenever the ticket was opened.
  const repeats = await tickets
    .aggregate<{ _id: { day: string; intent: string }; n: number }>([
      { $match: { history: { $elemMatch: { action: 'repeat', at: period } } } },
      { $project: { intent: 1, history: 1 } },
      { $unwind: '$history' },
      { $match: { 'history.action': 'repeat', 'history.at': period } },
      { $group: { _id: { day: dayOfField('history.at'), intent: '$intent' }, n: { $sum: 1 } } },
    ])
    .toArray();
  for (const r of repeats) grid.add(r._id.day, categoryOfIntent(r._id.intent), 'repeatComplaints', r.n);
}
