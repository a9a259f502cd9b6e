/** Hand-offs requested per day and category (waiting, taken, closed or timed out alike). */
import type { Db } from 'mongodb';
import { categoryOfIntent, FigureGrid } from './figures.js';
import { dayOfField } from './period.js';

export async function addHandoffs(db: Db, grid: FigureGrid, period: { $gte: Date; $lt: Date }): Promise<void> {
  const requested = await db
    .collection('handoffs')
    .aggregate<{ _id: { day: string; intent: string }; n: number }>([
      { $match: { since: period } },
      { $group: { _id: { day: dayOfField('since'), intent: '$intent' }, n: { $sum: 1 } } },
    ])
    .toArray();
  for (const r of requested) grid.add(r._id.day, categoryOfIntent(r._id.intent), 'handoffs', r.n);
}
