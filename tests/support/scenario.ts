/**
 * Conversation tests as tables: each row is what the customer types and what the bot must do —
 * the slot it then waits for (null: it asks nothing) and words its replies must contain.
 */
import { expect } from 'vitest';
import type { Slot } from '../../src/engine/flow-schema.js';
import type { CustomerChat, Turn } from './customer-chat.js';

export interface BotMust {
  /** The slot the bot waits for after this turn; null when it asks nothing. */
  slot?: Slot | null;
  /** Words (or a pattern) the replies of this turn contain. */
  says?: string | RegExp;
  /** Words the replies must not contain. */
  never?: string | RegExp;
  /** Button titles offered (all must be present). */
  buttons?: string[];
}

export type Row = [customer: string, bot: BotMust];

export async function play(chat: CustomerChat, rows: readonly Row[]): Promise<Turn[]> {
  const turns: Turn[] = [];
  for (const [line, must] of rows) {
    const turn = await chat.say(line);
    const where = `after the customer said ${JSON.stringify(line)}, the bot said ${JSON.stringify(turn.text)}`;
    expect(turn.status, where).toBe(200);
    expect(turn.replies.length, where).toBeGreaterThan(0);
    if (must.slot !== undefined) expect(turn.slot ?? null, where).toBe(must.slot);
    if (must.says !== undefined) {
      if (typeof must.says === 'string') expect(turn.text, where).toContain(must.says);
      else expect(turn.text, where).toMatch(must.says);
    }
    if (must.never !== undefined) {
      if (typeof must.never === 'string') expect(turn.text, where).not.toContain(must.never);
      else expect(turn.text, where).not.toMatch(must.never);
    }
    if (must.buttons) expect(turn.buttons, where).toEqual(expect.arrayContaining(must.buttons));
    turns.push(turn);
  }
  return turns;
}
