/**
 * The operations figures the dashboard and GET /api/stats show, per Beijing calendar day and per
 * category: conversations, containment, tickets, hand-offs, repeat complaints, SLA breaches,
 * satisfaction, the self-checks that solve problems, and the intents the bot is least sure of.
 *
 * Computed in TypeScript over cursors restricted to the period: the embedded server's aggregation is
 * limited, and a day's volume of a complaint desk is small.
 */
import type { Db } from 'mongodb';
import type { OutcomeRecord } from '../engine/outcome-log.js';
import type { HandoffRecord } from '../handoff/handoff-service.js';
import { categoryOf, isIntent } from '../nlu/taxonomy.js';
import type { Ticket } from '../tickets/types.js';
import type { TranscriptEntry } from '../transcripts/transcript-store.js';

export const CATEGORIES = ['network', 'business', 'service', 'billing', 'utility', 'other'] as const;
export type StatsCategory = (typeof CATEGORIES)[number];

const DAY_MS = 24 * 3600_000;
const BEIJING_MS = 8 * 3600_000;

export interface StatsRange {
  /** First day, YYYY-MM-DD (Beijing). */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

export interface CategoryFigures {
  conversations: number;
  /** Conversations that ended resolved or explained with no ticket and no hand-off. */
  contained: number;
  tickets: number;
  handoffs: number;
}

export interface Stats {
  from: string;
  to: string;
  totals: CategoryFigures & {
    containmentRate: number | null;
    repeatComplaints: number;
    slaFirstResponseBreaches: number;
    slaResolutionBreaches: number;
    satisfaction: { satisfied: number; neutral: number; dissatisfied: number; responses: number; satisfiedRate: number | null };
  };
  byCategory: Record<StatsCategory, CategoryFigures & { containmentRate: number | null }>;
  days: Array<{ day: string; byCategory: Record<StatsCategory, CategoryFigures> }>;
  selfChecks: Array<{ flow: string; step: string; attempts: number; solved: number; rate: number }>;
  lowConfidenceIntents: Array<{ intent: string; turns: number }>;
}

export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

const empty = (): CategoryFigures => ({ conversations: 0, contained: 0, tickets: 0, handoffs: 0 });
const byCategory = (): Record<StatsCategory, CategoryFigures> => Object.fromEntries(CATEGORIES.map((c) => [c, empty()])) as Record<StatsCategory, CategoryFigures>;
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function categoryOfIntent(intent: string | undefined): StatsCategory {
  return intent && isIntent(intent) ? categoryOf(intent) : 'other';
}

export interface StatsOptions {
  /** The outcome labels a confirm-resolved step records (dialogs/common/replies.yaml resolvedOutcomes). */
  resolvedOutcomes: { yes: string; no: string };
  now?: Date;
}

export async function operationsStats(db: Db, range: StatsRange, opts: StatsOptions): Promise<Stats> {
  const since = dayStart(range.from);
  const until = new Date(dayStart(range.to).getTime() + DAY_MS);
  const now = opts.now ?? new Date();
  const period = { $gte: since, $lt: until };

  const [inbound, outcomes, tickets, handoffs] = await Promise.all([
    db.collection<TranscriptEntry>('transcripts').find({ direction: 'inbound', at: period }, { projection: { conversationId: 1, at: 1, seq: 1, nlu: 1, review: 1 } }).toArray(),
    db.collection<OutcomeRecord>('conversation_outcomes').find({ endedAt: period }).toArray(),
    db.collection<Ticket>('tickets').find({ createdAt: period }).toArray(),
    db.collection<HandoffRecord>('handoffs').find({ since: period }).toArray(),
  ]);

  const days = new Map<string, Record<StatsCategory, CategoryFigures>>();
  for (let at = since.getTime(); at < until.getTime(); at += DAY_MS) days.set(beijingDay(new Date(at)), byCategory());
  const cell = (at: Date, category: StatsCategory): CategoryFigures => days.get(beijingDay(at))![category];

  // A conversation counts on the day of its first message, under the category of its first complaint.
  const conversations = new Map<string, { first: Date; category: StatsCategory }>();
  for (const entry of [...inbound].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq)) {
    const known = conversations.get(entry.conversationId);
    const category = categoryOfIntent(entry.nlu?.intent);
    if (!known) conversations.set(entry.conversationId, { first: entry.at, category });
    else if ((known.category === 'utility' || known.category === 'other') && category !== 'utility' && category !== 'other') known.category = category;
  }
  const outcomesOf = new Map<string, OutcomeRecord[]>();
  for (const o of outcomes) outcomesOf.set(o.conversationId, [...(outcomesOf.get(o.conversationId) ?? []), o]);
  const ticketed = new Set(tickets.map((t) => t.conversationId));
  const handedOff = new Set(handoffs.map((h) => h._id));

  for (const [conversationId, { first, category }] of conversations) {
    const figures = cell(first, category);
    figures.conversations += 1;
    const ended = outcomesOf.get(conversationId) ?? [];
    const contained =
      ended.length > 0 && ended.every((o) => o.outcome === 'resolved' || o.outcome === 'explained') && !ticketed.has(conversationId) && !handedOff.has(conversationId);
    if (contained) figures.contained += 1;
  }
  for (const t of tickets) cell(t.createdAt, categoryOfIntent(t.intent)).tickets += 1;
  for (const h of handoffs) cell(h.since, categoryOfIntent(h.intent)).handoffs += 1;

  const totals = { ...empty() };
  const perCategory = byCategory();
  for (const figures of days.values()) {
    for (const c of CATEGORIES) {
      for (const key of Object.keys(totals) as Array<keyof CategoryFigures>) {
        totals[key] += figures[c][key];
        perCategory[c][key] += figures[c][key];
      }
    }
  }

  const repeatComplaints = (
    await db.collection<Ticket>('tickets').find({ history: { $elemMatch: { action: 'repeat', at: period } } }).toArray()
  ).reduce((n, t) => n + t.history.filter((h) => h.action === 'repeat' && h.at >= since && h.at < until).length, 0);
  const finished = (t: Ticket) => t.status === 'resolved' || t.status === 'closed';
  const resolvedAt = (t: Ticket) => [...t.history].reverse().find((h) => h.action === 'status' && (h.to === 'resolved' || h.to === 'closed'))?.at;
  const slaFirstResponseBreaches = tickets.filter((t) => (t.firstResponseAt ?? now) > t.firstResponseDue && t.firstResponseDue <= now).length;
  const slaResolutionBreaches = tickets.filter((t) => (finished(t) ? (resolvedAt(t) ?? now) : now) > t.resolveDue).length;

  const answers = outcomes.map((o) => o.satisfaction).filter((s): s is string => Boolean(s));
  const count = (v: string) => answers.filter((a) => a === v).length;
  const satisfaction = { satisfied: count('satisfied'), neutral: count('neutral'), dissatisfied: count('dissatisfied'), responses: answers.length, satisfiedRate: rate(count('satisfied'), answers.length) };

  const steps = new Map<string, { flow: string; step: string; attempts: number; solved: number }>();
  for (const o of outcomes) {
    for (const t of o.tried) {
      if (t.outcome !== opts.resolvedOutcomes.yes && t.outcome !== opts.resolvedOutcomes.no) continue;
      const key = `${o.flow}|${t.step}`;
      const s = steps.get(key) ?? { flow: o.flow, step: t.step, attempts: 0, solved: 0 };
      s.attempts += 1;
      if (t.outcome === opts.resolvedOutcomes.yes) s.solved += 1;
      steps.set(key, s);
    }
  }

  const lowConfidence = new Map<string, number>();
  for (const e of inbound) if (e.review?.includes('low_confidence') && e.nlu) lowConfidence.set(e.nlu.intent, (lowConfidence.get(e.nlu.intent) ?? 0) + 1);

  return {
    from: range.from,
    to: range.to,
    totals: { ...totals, containmentRate: rate(totals.contained, totals.conversations), repeatComplaints, slaFirstResponseBreaches, slaResolutionBreaches, satisfaction },
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, { ...perCategory[c], containmentRate: rate(perCategory[c].contained, perCategory[c].conversations) }])) as Stats['byCategory'],
    days: [...days].map(([day, figures]) => ({ day, byCategory: figures })),
    selfChecks: [...steps.values()].map((s) => ({ ...s, rate: s.solved / s.attempts })).sort((a, b) => b.attempts - a.attempts || a.step.localeCompare(b.step)),
    lowConfidenceIntents: [...lowConfidence].map(([intent, turns]) => ({ intent, turns })).sort((a, b) => b.turns - a.turns).slice(0, 10),
  };
}
