/**
 * Conversations and containment. A conversation counts once per Beijing day on which the customer wrote
 * (WeChat keeps one conversation per follower for good, so "the day of its first message" alone would
 * count a returning follower never again), under the category of that day's first complaint intent.
 * It is contained when complaints ended that day, all `resolved` or `explained`, and that day opened
 * no ticket and no hand-off for it.
 */
import type { Db } from 'mongodb';
import { categoryOfIntent, FigureGrid } from './figures.js';
import { beijingDay, dayOfField } from './period.js';

interface ConversationTurns {
  _id: string;
  /** The period's customer messages of one conversation, in no particular order. */
  turns: Array<{ at: Date; seq: number; intent?: string | null }>;
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

/** Each conversation's messages split by Beijing day, each day's intents in the order they were written. */
function* conversationDays(conversations: ConversationTurns[]): Generator<{ _id: KeyedDay['_id']; intents: Array<string | null> }> {
  for (const c of conversations) {
    const days = new Map<string, ConversationTurns['turns']>();
    for (const t of c.turns) {
      const day = beijingDay(t.at);
      const turns = days.get(day);
      if (turns) turns.push(t);
      else days.set(day, [t]);
    }
    for (const [day, turns] of days) {
      turns.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
      yield { _id: { conversationId: c._id, day }, intents: turns.map((t) => t.intent ?? null) };
    }
  }
}

export async function addConversations(db: Db, grid: FigureGrid, period: { $gte: Date; $lt: Date }): Promise<void> {
  const perDay = (conversationId: string, at: string) => ({ conversationId: `$${conversationId}`, day: dayOfField(at) });
  const [conversations, outcomes, tickets, handoffs] = await Promise.all([
    // Grouped by conversation only and split into days here: naming each message's day in the
    // pipeline, and sorting the whole period there, cost the embedded server most of the request.
    db
      .collection('transcripts')
      .aggregate<ConversationTurns>([
        { $match: { direction: 'inbound', at: period } },
        { $group: { _id: '$conversationId', turns: { $push: { at: '$at', seq: '$seq', intent: '$nlu.intent' } } } },
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
  for (const c of conversationDays(conversations)) {
    const category = conversationCategory(c.intents);
    grid.add(c._id.day, category, 'conversations');
    const results = ended.get(key(c._id)) ?? [];
    const contained = results.length > 0 && results.every((r) => r === 'resolved' || r === 'explained') && !escalated.has(key(c._id));
    if (contained) grid.add(c._id.day, category, 'contained');
  }
}
