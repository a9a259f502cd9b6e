import { randomInt } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { duplicateKeyOf } from './errors.js';

const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** yyyymmdd of the calendar day in China, where the customer and the agents are. */
export function shanghaiDay(at: Date): string {
  const parts = Object.fromEntries(shanghaiDate.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}${parts.month}${parts.day}`;
}

/** KD20261122-0007. Past 9999 tickets a day the sequence simply grows a digit rather than wrapping. */
export function formatTicketNumber(day: string, seq: number): string {
  return `KD${day}-${String(seq).padStart(4, '0')}`;
}

export const TICKET_NUMBER = /^KD\d{8}-\d{4,}$/;

// No 0/O or 1/I: customers read references aloud or type them from an SMS.
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * A reference handed out while storage is down: the same shape as a number plus a "P" (provisional)
 * so an agent never confuses it with a real ticket, and random so that nodes need no coordination.
 */
export function provisionalReference(at: Date): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `KDP${shanghaiDay(at)}-${tail}`;
}

export const PROVISIONAL_REFERENCE = /^KDP\d{8}-[2-9A-HJ-NP-Z]{6}$/;

interface CounterDoc {
  _id: string;
  seq: number;
}

/**
 * Daily sequences shared by every node: one counter document per day, advanced with an atomic
 * findOneAndUpdate. A number taken by a node that then loses a race (see TicketService) is not
 * reused, so a rare gap is possible; duplicates are not.
 */
export class TicketNumbering {
  private readonly counters: Collection<CounterDoc>;

  constructor(db: Db) {
    this.counters = db.collection<CounterDoc>('counters');
  }

  async next(at: Date): Promise<string> {
    const day = shanghaiDay(at);
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.counters.findOneAndUpdate(
          { _id: `ticket:${day}` },
          { $inc: { seq: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!doc) throw new Error(`counter ticket:${day} was not returned`);
        return formatTicketNumber(day, doc.seq);
      } catch (err) {
        // Two first-of-the-day upserts can collide on _id on a real server; the loser just increments.
        if (attempt < 3 && duplicateKeyOf(err)) continue;
        throw err;
      }
    }
  }
}
