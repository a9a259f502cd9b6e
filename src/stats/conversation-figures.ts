/**
 * Conversations and containment. A conversation counts once per Beijing day on which the customer wrote
 * (WeChat keeps one conversation per follower for good, so "the day of its first message" alone would
 * count a returning follower never again), under the category of that day's first complaint intent.
 * It is contained when complaints ended that day, all `resolved` or `explained`, and that day opened
 * no ticket and no hand-off for it.
 */
import type { Db } from 'mongodb';
import { categoryOfIntent, FigureGrid } from './figures.js';
import { dayOfField } from './period.js';

interface ConversationDay {
  _id: { conversationId: string; day: string };
  intents: Array<string | null>;
}

interface KeyedDay {
  _id: { conversationId: string; day: string };
}

interface OutcomeDay extends KeyedDay {
  outcomes: string[];
}

const COMPLAINT_CATEGORIES = new Set(['network', 'business', 'service', 'billing']);
const key = (id: KeyedDay['_id']) => `${id.day}|${id.conversationId}`;

/** The first complaint's category; a day of greetings or unrelated messages keeps its first message's. */
function conversationCategory(intents: Array<string | null>) {
  const categories = intents.map(categoryOfIntent);
  return categories.find((c) => COMPLAINT_CATEGORIES.has(c)) ?? categories[0] ?? 'other';
}

export async function addConversations(db: Db, grid: FigureGrid, period: { $gte: Date; $lt: Date }): Promise<void> {
  const perDay = (conversationId: string, at: string) => ({ conversationId: `$${conversationId}`, day: dayOfField(at) });
  const [conversations, outcomes, tickets, handoffs] = await Promise.all([
    db
      .collection('transcripts')
      .aggregate<ConversationDay>([
        { $match: { direction: 'inbound', at: period } },
        { $sort: { at: 1, seq: 1 } },
        { $group: { _id: perDay('conversationId', 'at'), intents: { $push: '$nlu.intent' } } },
      ])
      .toArray(),
    db
      .collection('conversation_outcomes')
      .aggregate<OutcomeDay>([{ $match: { endedAt: period } }, { $group: { _id: perDay('conversationId', 'endedAt'), outcomes: { $addToSet: '$outcome' } } }])
      .toArray(),
    db
      .collection('tickets')
      .aggregate<KeyedDay>([{ $match: { createdAt: period } }, { $group: { _id: perDay('conversationId', 'createdAt') } }])
      .toArray(),
    db
      .collection('handoffs')
      .aggregate<KeyedDay>([{ $match: { since: period } }, { $group: { _id: perDay('_id', 'since') } }])
      .toArray(),
  ]);

  const ended = new Map(outcomes.map((o) => [key(o._id), o.outcomes]));
  const escalated = new Set([...tickets, ...handoffs].map((t) => key(t._id)));
  for (const c of conversations) {
    const category = conversationCategory(c.intents);
    grid.add(c._id.day, category, 'conversations');
    const results = ended.get(key(c._id)) ?? [];
    const contained = results.length > 0 && results.every((r) => r === 'resolved' || r === 'explained') && !escalated.has(key(c._id));
    if (contained) grid.add(c._id.day, category, 'contained');
  }
}
