/**
 * The figures of GET /api/stats and the /dashboard page: per Beijing day and category, per category,
 * per day and for the period, plus the self-check steps and the least-understood intents.
 *
 * Counting is done by MongoDB aggregation pipelines grouped by Beijing day (they run the same on the
 * embedded server); TypeScript maps intents to categories and does what needs a rule per document
 * (a conversation's category, containment across collections, SLA deadlines against the clock).
 */
import type { Db } from 'mongodb';
import type { Category } from '../nlu/taxonomy.js';
import { addConversations } from './conversation-figures.js';
import { CATEGORIES, FigureGrid, type Figures } from './figures.js';
import { addHandoffs } from './handoff-figures.js';
import { lowConfidenceIntents } from './low-confidence.js';
import { addSatisfaction, selfCheckFigures, type SelfCheckFigures } from './outcome-figures.js';
import { bounds, daysOf, STATS_TIMEZONE, type StatsRange } from './period.js';
import { addTickets } from './ticket-figures.js';

export interface Stats {
  from: string;
  to: string;
  timezone: string;
  /** The figures' satisfaction answers, most satisfied first (satisfiedRate is the first one's share). */
  satisfactionAnswers: string[];
  totals: Figures;
  byCategory: Record<Category, Figures>;
  days: Array<{ day: string; total: Figures; byCategory: Record<Category, Figures> }>;
  selfChecks: SelfCheckFigures[];
  lowConfidenceIntents: Array<{ intent: string; turns: number }>;
}

export interface StatsOptions {
  /** The labels a confirm-resolved step records (dialogs/common/replies.yaml resolvedOutcomes). */
  resolvedOutcomes: { yes: string; no: string };
  /** The satisfaction answer values, most satisfied first (dialogs/common/replies.yaml satisfaction). */
  satisfactionAnswers: string[];
  now?: Date;
}

export async function operationsStats(db: Db, range: StatsRange, opts: StatsOptions): Promise<Stats> {
  const { since, until } = bounds(range);
  const period = { $gte: since, $lt: until };
  const grid = new FigureGrid(daysOf(range), opts.satisfactionAnswers);
  const [selfChecks, lowConfidence] = await Promise.all([
    selfCheckFigures(db, period, opts.resolvedOutcomes),
    lowConfidenceIntents(db, period),
    addConversations(db, grid, period),
    addTickets(db, grid, period, opts.now ?? new Date()),
    addHandoffs(db, grid, period),
    addSatisfaction(db, grid, period),
  ]);
  const perCategory = (day?: string) =>
    Object.fromEntries(CATEGORIES.map((c) => [c, grid.sum((d, cat) => cat === c && (day === undefined || d === day))])) as Record<Category, Figures>;
  return {
    from: range.from,
    to: range.to,
    timezone: STATS_TIMEZONE,
    satisfactionAnswers: opts.satisfactionAnswers,
    totals: grid.sum(() => true),
    byCategory: perCategory(),
    days: grid.days().map((day) => ({ day, total: grid.sum((d) => d === day), byCategory: perCategory(day) })),
    selfChecks,
    lowConfidenceIntents: lowConfidence,
  };
}
