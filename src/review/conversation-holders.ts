/**
 * The account holders a conversation is about, so the review page can mask their names even where
 * the customer typed them without "我叫": the transcript only knows the account ids and phone numbers
 * the NLU read (and the account on the conversation's tickets); the names come from the back office.
 */
import type { Db } from 'mongodb';
import { holdersNamedIn, type HolderLookup } from '../transcripts/export-holders.js';
import type { TranscriptEntry } from '../transcripts/transcript-store.js';

export async function conversationHolders(db: Db, conversationId: string, holderOf: HolderLookup | undefined): Promise<string[]> {
  if (!holderOf) return [];
  const [entries, tickets] = await Promise.all([
    db
      .collection<TranscriptEntry>('transcripts')
      .find({ conversationId, direction: 'inbound' }, { projection: { nlu: 1 } })
      .toArray(),
    db.collection<{ conversationId: string; account?: string }>('tickets').find({ conversationId }, { projection: { account: 1 } }).toArray(),
  ]);
  return holdersNamedIn(entries, tickets, holderOf);
}
