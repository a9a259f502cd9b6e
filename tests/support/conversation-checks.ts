/**
 * What every conversation test checks beyond its table: the replies a customer reads are clean
 * Chinese, and a complaint ended the way it should (the ticket it opened, or why it opened none).
 */
import { expect } from 'vitest';
import type { Ticket } from '../../src/tickets/types.js';
import type { RunningApp } from './app-server.js';
import type { CustomerChat, Turn } from './customer-chat.js';
import { play, type Row } from './scenario.js';

/** What a customer must never see: template leftovers, programmer words, English error text. */
export const NOT_FOR_CUSTOMERS = /undefined|null|NaN|\{[a-z_]+\}|未提供|error|exception|\d{3} [A-Z]/i;

export interface ConverseOptions {
  /** Words forbidden on top of NOT_FOR_CUSTOMERS' (e.g. "timeout" when the back office is down). */
  forbidden?: RegExp;
  /** Each turn must be answered within this many milliseconds. */
  maxTurnMs?: number;
}

/** Every reply of a turn is Chinese and free of leftovers. */
export function cleanChinese(turn: Turn, line: string, forbidden?: RegExp): void {
  for (const reply of turn.replies) {
    const where = `reply to ${JSON.stringify(line)}: ${JSON.stringify(reply.text)}`;
    expect(reply.text ?? '', where).toMatch(/\p{Script=Han}/u);
    expect(reply.text ?? '', where).not.toMatch(NOT_FOR_CUSTOMERS);
    if (forbidden) expect(reply.text ?? '', where).not.toMatch(forbidden);
  }
}

/** Plays the rows (see play), checking every reply of every turn, and each turn's time if asked. */
export async function converse(chat: CustomerChat, rows: readonly Row[], options: ConverseOptions = {}): Promise<Turn[]> {
  const turns: Turn[] = [];
  for (const row of rows) {
    const started = Date.now();
    const [turn] = await play(chat, [row]);
    if (options.maxTurnMs !== undefined) expect(Date.now() - started, `turn ${JSON.stringify(row[0])}`).toBeLessThan(options.maxTurnMs);
    cleanChinese(turn!, row[0], options.forbidden);
    turns.push(turn!);
  }
  return turns;
}

/** A complaint from its first line: the very first thing the bot says apologises (抱歉 / 歉意 / 致歉). */
export async function complain(chat: CustomerChat, rows: readonly Row[]): Promise<Turn[]> {
  const turns = await converse(chat, rows);
  expect(turns[0]!.replies[0]?.text ?? '', `first reply to ${JSON.stringify(rows[0]![0])}`).toMatch(/^[^。！？]*歉/);
  return turns;
}

/** Beijing date as yyyymmdd, the middle of a ticket number. */
export function shanghaiDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .replaceAll('-', '');
}

/** How customers read a time: Beijing time, "11月23日 14:00" (computed here, not by the product). */
export function beijingTime(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

export const stepsOf = (ticket: Ticket): string[] => ticket.evidence.steps.map((s) => `${s.step}:${s.outcome}`);

/** How the conversations of the app the test runs now ended; `app` is read at each call (one app per test). */
export function outcomes(app: () => RunningApp) {
  const ticketsOf = (chat: CustomerChat) => app().services.tickets.list({ conversationId: chat.conversationId });
  const outcomeOf = (chat: CustomerChat) => app().services.outcomes.latest(chat.conversationId);
  return {
    ticketsOf,
    outcomeOf,
    triedOf: async (chat: CustomerChat) => ((await outcomeOf(chat))?.tried ?? []).map((s) => `${s.step}:${s.outcome}`),

    /**
     * The conversation opened exactly one ticket; its number is KD + today's Beijing date + '-' + 4
     * digits, and the customer heard that number and the time someone will contact them.
     */
    async theOneTicket(chat: CustomerChat, said: Turn, startedAt: Date, flow: string): Promise<Ticket> {
      const tickets = await ticketsOf(chat);
      expect(tickets, 'tickets of this conversation').toHaveLength(1);
      const ticket = tickets[0]!;
      expect(ticket.number).toMatch(/^KD\d{8}-\d{4}$/);
      expect(new Set([shanghaiDay(startedAt), shanghaiDay(new Date())]), `date in ${ticket.number}`).toContain(ticket.number.slice(2, 10));
      expect(said.text, 'the customer hears the ticket number').toContain(ticket.number);
      expect(said.text, 'the customer hears when they will be contacted').toContain(`${beijingTime(ticket.firstResponseDue)} 前`);
      expect(await outcomeOf(chat)).toMatchObject({ outcome: 'ticket', ticketNumber: ticket.number, flow, intent: ticket.intent });
      return ticket;
    },

    async noTicket(chat: CustomerChat, outcome: 'explained' | 'resolved', flow: string, intent: string): Promise<void> {
      expect(await ticketsOf(chat), 'tickets of this conversation').toHaveLength(0);
      expect(await outcomeOf(chat)).toMatchObject({ outcome, flow, intent });
    },
  };
}
