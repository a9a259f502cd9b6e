/**
 * The figures the dashboard shows for a day × category cell, a category, a day or the whole period:
 * raw counts are collected per cell, every other level is a sum, rates are derived at the end.
 */
import { categoryOf, INTENT_CATEGORIES, isIntent, type Category } from '../nlu/taxonomy.js';

export const CATEGORIES = [...new Set(Object.values(INTENT_CATEGORIES))] as Category[];

export interface Counts {
  /** Conversations whose first customer message fell in the cell. */
  conversations: number;
  /** Of those, the ones that ended resolved or explained with no ticket and no hand-off. */
  contained: number;
  tickets: number;
  handoffs: number;
  /** Complaints folded into an open ticket. */
  repeatComplaints: number;
  slaFirstResponseBreaches: number;
  slaResolutionBreaches: number;
  /** Satisfaction answers by value (dialogs/common/replies.yaml satisfaction). */
  satisfaction: Record<string, number>;
}

export interface Figures extends Omit<Counts, 'satisfaction'> {
  /** contained / conversations; null without conversations. */
  containmentRate: number | null;
  satisfaction: { answers: Record<string, number>; responses: number; satisfiedRate: number | null };
}

type Counter = Exclude<keyof Counts, 'satisfaction'>;
const COUNTERS: Counter[] = ['conversations', 'contained', 'tickets', 'handoffs', 'repeatComplaints', 'slaFirstResponseBreaches', 'slaResolutionBreaches'];

/** An intent as stored (any string) to its TAXONOMY.md category; unknown labels count as `other`. */
export function categoryOfIntent(intent: unknown): Category {
  return typeof intent === 'string' && isIntent(intent) ? categoryOf(intent) : 'other';
}

/** Counts per Beijing day and category over a fixed list of days; events outside it are ignored. */
export class FigureGrid {
  private readonly cells = new Map<string, Map<Category, Counts>>();

  /** `answers` in the order dialogs/common/replies.yaml lists them, the most satisfied first. */
  constructor(
    days: string[],
    private readonly answers: string[],
  ) {
    for (const day of days) this.cells.set(day, new Map(CATEGORIES.map((c) => [c, this.empty()])));
  }

  add(day: string, category: Category, counter: Counter, n = 1): void {
    const cell = this.cells.get(day)?.get(category);
    if (cell) cell[counter] += n;
  }

  addAnswer(day: string, category: Category, answer: string, n = 1): void {
    const cell = this.cells.get(day)?.get(category);
    if (cell && answer in cell.satisfaction) cell.satisfaction[answer]! += n;
  }

  days(): string[] {
    return [...this.cells.keys()];
  }

  /** The sum of the cells that match. */
  sum(match: (day: string, category: Category) => boolean): Figures {
    const total = this.empty();
    for (const [day, row] of this.cells) {
      for (const [category, cell] of row) {
        if (!match(day, category)) continue;
        for (const key of COUNTERS) total[key] += cell[key];
        for (const a of this.answers) total.satisfaction[a]! += cell.satisfaction[a]!;
      }
    }
    return this.withRates(total);
  }

  private empty(): Counts {
    return {
      conversations: 0,
      contained: 0,
      tickets: 0,
      handoffs: 0,
      repeatComplaints: 0,
      slaFirstResponseBreaches: 0,
      slaResolutionBreaches: 0,
      satisfaction: Object.fromEntries(this.answers.map((a) => [a, 0])),
    };
  }

  private withRates(counts: Counts): Figures {
    const responses = Object.values(counts.satisfaction).reduce((n, v) => n + v, 0);
    const best = this.answers[0];
    return {
      ...counts,
      containmentRate: counts.conversations > 0 ? counts.contained / counts.conversations : null,
      satisfaction: { answers: counts.satisfaction, responses, satisfiedRate: responses > 0 && best ? counts.satisfaction[best]! / responses : null },
    };
  }
}
