/** The intents the recogniser was least sure of: the customer turns flagged low_confidence, per intent. */
import type { Db } from 'mongodb';

export const TOP_INTENTS = 10;

export async function lowConfidenceIntents(db: Db, period: { $gte: Date; $lt: Date }): Promise<Array<{ intent: string; turns: number }>> {
  const top = await db
    .collection('transcripts')
    .aggregate<{ _id: string | null; turns: number }>([
      { $match: { direction: 'inbound', at: period, review: 'low_confidence' } },
      { $group: { _id: '$nlu.intent', turns: { $sum: 1 } } },
      { $sort: { turns: -1, _id: 1 } },
      { $limit: TOP_INTENTS },
    ])
    .toArray();
  return top.map((t) => ({ intent: t._id ?? 'none', turns: t.turns }));
}
