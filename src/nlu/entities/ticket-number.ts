import type { Candidate } from './types.js';

// KD + yyyymmdd + "-" + 4-digit sequence; customers also type en/em dashes, a space, or nothing.
const TICKET = /(?<![a-z0-9])kd(\d{4})(\d{2})(\d{2})[-‐–— ]?(\d{4})(?!\d)/g;

/** Ticket numbers in the canonical upper-case form the ticket service prints (KD20261122-0007). */
export function extractTicketNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(TICKET)) {
    const [, year, month, day, seq] = m as unknown as [string, string, string, string, string];
    if (!isCalendarDate(Number(year), Number(month), Number(day))) continue;
    out.push({
      type: 'ticket_number',
      value: `KD${year}${month}${day}-${seq}`,
      start: m.index,
      end: m.index + m[0].length,
      priority: 100,
    });
  }
  return out;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
