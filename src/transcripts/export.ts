/**
 * Masked conversations for offline analysis: every conversation with a message in the period, its
 * messages of the period in order (masked text, NLU result with personal entities masked, flow step,
 * review signals), how its complaints ended and the tickets it opened. JSON Lines (one conversation a
 * line) or CSV (one message a row). Conversations are read from a cursor and written one at a time, so
 * a long period does not fill memory.
 */
import { stringify } from 'csv-stringify/sync';
import type { Db } from 'mongodb';
import type { OutcomeRecord } from '../engine/outcome-log.js';
import { categoryOf, isIntent } from '../nlu/taxonomy.js';
import type { Ticket } from '../tickets/types.js';
import { holdersNamedIn, type HolderLookup } from './export-holders.js';
import { maskText, PLACEHOLDERS, type KnownPerson } from './masking.js';
import type { TranscriptEntry } from './transcript-store.js';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportRange {
  since: Date;
  /** Exclusive. */
  until: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day in Beijing time, as people at the desk name them. */
function shanghaiDay(value: string, name: string): Date {
  const at = DAY.test(value) ? new Date(`${value}T00:00:00+08:00`) : new Date(NaN);
  // A day that does not exist (2026-02-30) rolls over in Date: reading it back catches that.
  if (Number.isNaN(at.getTime()) || new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10) !== value) {
    throw new RangeError(`${name} must be a date as YYYY-MM-DD (got ${JSON.stringify(value)})`);
  }
  return at;
}

/** --since / --until (both days inclusive, Beijing time; until defaults to today). Throws RangeError with a line for the user. */
export function exportRange(since: string | undefined, until: string | undefined, now = new Date()): ExportRange {
  if (!since) throw new RangeError('since is required, as YYYY-MM-DD');
  const from = shanghaiDay(since, 'since');
  const last = until ? shanghaiDay(until, 'until') : shanghaiDay(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10), 'until');
  if (last < from) throw new RangeError(`until (${until}) is before since (${since})`);
  return { since: from, until: new Date(last.getTime() + 24 * 3600_000) };
}

export function exportFormat(value: string | undefined): ExportFormat {
  if (value === undefined || value === 'jsonl') return 'jsonl';
  if (value === 'csv') return 'csv';
  throw new RangeError(`format must be jsonl or csv (got ${JSON.stringify(value)})`);
}

/** Entity types whose values are personal: masked like the text. */
const PERSONAL_ENTITIES: Record<string, string> = { account: PLACEHOLDERS.account, phone: PLACEHOLDERS.phone };

const CSV_COLUMNS = [
  'conversation_id',
  'channel',
  'seq',
  'at',
  'direction',
  'sender',
  'text',
  'intent',
  'score',
  'category',
  'entities',
  'flags',
  'flow_step',
  'review',
  'outcome',
  'tickets',
];

interface ExportedConversation {
  conversationId: string;
  channel: string;
  messages: Array<Record<string, unknown>>;
  outcomes: Array<Record<string, unknown>>;
  tickets: Array<Record<string, unknown>>;
}

interface ExportedEntity {
  type: string;
  value: string | number;
  text: string;
}

function exportedMessage(entry: TranscriptEntry, known: KnownPerson): Record<string, unknown> {
  return {
    seq: entry.seq,
    at: entry.at.toISOString(),
    direction: entry.direction,
    sender: entry.sender,
    text: maskText(entry.text, known),
    ...(entry.nlu
      ? {
          nlu: {
            intent: entry.nlu.intent,
            score: entry.nlu.score,
            category: isIntent(entry.nlu.intent) ? categoryOf(entry.nlu.intent) : null,
            entities: entry.nlu.entities.map(
              (e): ExportedEntity => ({
                type: e.type,
                value: PERSONAL_ENTITIES[e.type] ?? (typeof e.value === 'string' ? maskText(e.value, known) : e.value),
                text: PERSONAL_ENTITIES[e.type] ?? maskText(e.text, known),
              }),
            ),
            flags: entry.nlu.flags,
          },
        }
      : {}),
    ...(entry.step ? { step: `${entry.step.flow}/${entry.step.step}` } : {}),
    ...(entry.review?.length ? { review: entry.review } : {}),
  };
}

async function conversationOf(db: Db, conversationId: string, entries: TranscriptEntry[], holderOf: HolderLookup | undefined): Promise<ExportedConversation> {
  const [outcomes, tickets] = await Promise.all([
    db.collection<OutcomeRecord>('conversation_outcomes').find({ conversationId }).sort({ endedAt: 1 }).toArray(),
    db.collection<Ticket>('tickets').find({ conversationId }).sort({ createdAt: 1 }).toArray(),
  ]);
  const known: KnownPerson = { holder: await holdersNamedIn(entries, tickets, holderOf) };
  return {
    conversationId,
    channel: entries[0]?.channel ?? '',
    messages: entries.map((entry) => exportedMessage(entry, known)),
    outcomes: outcomes.map((o) => ({
      flow: o.flow,
      intent: o.intent,
      outcome: o.outcome,
      ...(o.ticketNumber ? { ticketNumber: o.ticketNumber } : {}),
      tried: o.tried.map((t) => ({ step: t.step, outcome: t.outcome })),
      escalationRisk: o.escalationRisk,
      ...(o.satisfaction ? { satisfaction: o.satisfaction } : {}),
      endedAt: o.endedAt.toISOString(),
    })),
    tickets: tickets.map((t) => ({ number: t.number, intent: t.intent, category: t.category, priority: t.priority, status: t.status, repeatCount: t.repeatCount })),
  };
}

function csvRows(conversation: ExportedConversation): string {
  const last = conversation.outcomes.at(-1)?.outcome ?? '';
  const tickets = conversation.tickets.map((t) => t.number).join(' ');
  const rows = conversation.messages.map((m) => {
    const nlu = m.nlu as { intent: string; score: number; category: string | null; entities: ExportedEntity[]; flags: string[] } | undefined;
    return [
      conversation.conversationId,
      conversation.channel,
      m.seq,
      m.at,
      m.direction,
      m.sender,
      m.text,
      nlu?.intent ?? '',
      nlu ? nlu.score.toFixed(3) : '',
      nlu?.category ?? '',
      nlu?.entities.map((e) => `${e.type}=${e.value}`).join(' ') ?? '',
      nlu?.flags.join(' ') ?? '',
      m.step ?? '',
      ((m.review as string[] | undefined) ?? []).join(' '),
      last,
      tickets,
    ];
  });
  return stringify(rows);
}

export interface ExportOptions {
  /** Where the holder's real name comes from, so it can be masked; without it names are masked only where the customer introduces themselves. */
  holderOf?: HolderLookup;
}

/**
 * Writes the export through `write` (which may wait for the reader); resolves with the number of
 * conversations written.
 */
export async function exportTranscripts(
  db: Db,
  range: ExportRange,
  format: ExportFormat,
  write: (chunk: string) => Promise<void> | void,
  options: ExportOptions = {},
): Promise<number> {
  if (format === 'csv') await write(stringify([CSV_COLUMNS]));
  // Which conversations had a message in the period, oldest first; then each one's messages of the period, in order.
  const conversations = db
    .collection<TranscriptEntry>('transcripts')
    .aggregate<{ _id: string; first: Date }>(
      [
        { $match: { at: { $gte: range.since, $lt: range.until } } },
        { $group: { _id: '$conversationId', first: { $min: '$at' } } },
        { $sort: { first: 1 } },
      ],
      { batchSize: 100 },
    );
  let count = 0;
  try {
    for await (const { _id: conversationId } of conversations) {
      const entries = await db
        .collection<TranscriptEntry>('transcripts')
        .find({ conversationId, at: { $gte: range.since, $lt: range.until } })
        .sort({ seq: 1 })
        .toArray();
      const conversation = await conversationOf(db, conversationId, entries, options.holderOf);
      await write(format === 'csv' ? csvRows(conversation) : `${JSON.stringify(conversation)}\n`);
      count += 1;
    }
  } finally {
    await conversations.close();
  }
  return count;
}
