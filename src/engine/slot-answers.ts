/**
 * Reads a customer's answer to the question the bot asked (the prompt contract's slots). Each reader
 * returns undefined when the message does not answer the question, so the caller can consider a topic
 * switch, a command, or ask again.
 */
import type { NluAnalysis } from '../nlu/index.js';
import { containsAny, normalizeAnswer, optionNumber } from './answer-text.js';
import type { AnswerLexicon } from './common-content.js';
import type { Slot } from './flow-schema.js';

export interface ChoiceOption {
  value: string;
  label: string;
  keywords?: readonly string[];
}

/** What an answer means: a value to store, or "the customer has nothing to give" (no code, cannot test). */
export type SlotAnswer = { kind: 'value'; value: string | number } | { kind: 'nothing' };

const MAX_STORED_TEXT = 500;
/** Plain numbers a customer gives for a speed test are Mbps; beyond 10 Gbps it is not a home line. */
const MAX_PLAUSIBLE_MBPS = 10_000;

function entity(nlu: NluAnalysis, type: string): string | number | undefined {
  return nlu.entities.find((e) => e.type === type)?.value;
}

export function readYesNo(text: string, lexicon: AnswerLexicon): 'yes' | 'no' | undefined {
  const option = optionNumber(text);
  if (option === 1) return 'yes';
  if (option === 2) return 'no';
  const n = normalizeAnswer(text);
  if (!n) return undefined;
  if (containsAny(n, text, lexicon.yesDespiteNegation)) return 'yes';
  if (containsAny(n, text, lexicon.no)) return 'no';
  if (containsAny(n, text, lexicon.yes)) return 'yes';
  return undefined;
}

/** By option number, exact value or label, the longest label mentioned (不满意 before 满意), then keywords. */
export function readChoice(text: string, options: readonly ChoiceOption[]): string | undefined {
  const option = optionNumber(text);
  if (option !== undefined) return options[option - 1]?.value;
  const n = normalizeAnswer(text);
  if (!n) return undefined;
  const exact = options.find((o) => n === normalizeAnswer(o.value) || n === normalizeAnswer(o.label));
  if (exact) return exact.value;
  const mentioned = options
    .filter((o) => n.includes(normalizeAnswer(o.label)) || (n.length >= 2 && normalizeAnswer(o.label).includes(n)))
    .sort((a, b) => b.label.length - a.label.length);
  if (mentioned[0]) return mentioned[0].value;
  const byKeyword = options
    .map((o) => ({ value: o.value, hits: (o.keywords ?? []).filter((k) => n.includes(normalizeAnswer(k))).length }))
    .filter((o) => o.hits > 0)
    .sort((a, b) => b.hits - a.hits);
  if (byKeyword.length === 1 || (byKeyword[0] && byKeyword[0].hits > byKeyword[1]!.hits)) return byKeyword[0]!.value;
  return undefined;
}

function readSpeed(text: string, nlu: NluAnalysis, lexicon: AnswerLexicon): SlotAnswer | undefined {
  const fromEntity = entity(nlu, 'speed_mbps');
  if (typeof fromEntity === 'number') return { kind: 'value', value: fromEntity };
  const bare = /^(?:大概|大约|约|才|只有)?(\d+(?:\.\d+)?)(?:左右|多)?$/.exec(normalizeAnswer(text));
  if (bare) {
    const mbps = Number(bare[1]);
    if (mbps <= MAX_PLAUSIBLE_MBPS) return { kind: 'value', value: mbps };
  }
  return containsAny(normalizeAnswer(text), text, lexicon.cannotMeasure) ? { kind: 'nothing' } : undefined;
}

function readErrorCode(text: string, nlu: NluAnalysis, lexicon: AnswerLexicon): SlotAnswer | undefined {
  const code = entity(nlu, 'error_code') ?? /(?<!\d)(\d{3})(?!\d)/.exec(normalizeAnswer(text))?.[1];
  if (code !== undefined) return { kind: 'value', value: String(code) };
  return containsAny(normalizeAnswer(text), text, lexicon.nothing) ? { kind: 'nothing' } : undefined;
}

function readAccount(nlu: NluAnalysis): SlotAnswer | undefined {
  const id = entity(nlu, 'account') ?? entity(nlu, 'phone');
  return id === undefined ? undefined : { kind: 'value', value: String(id) };
}

function readPhone(text: string, nlu: NluAnalysis): SlotAnswer | undefined {
  const mobile = entity(nlu, 'phone');
  if (mobile !== undefined) return { kind: 'value', value: String(mobile) };
  // Landlines with an area code: 0571-88886666, 057188886666, 88886666.
  const landline = /(?<!\d)(0\d{2,3}-?)?\d{7,8}(?!\d)/.exec(text.normalize('NFKC'));
  return landline ? { kind: 'value', value: landline[0] } : undefined;
}

function readUrl(text: string, nlu: NluAnalysis): SlotAnswer | undefined {
  const url = entity(nlu, 'url');
  if (url !== undefined) return { kind: 'value', value: String(url) };
  // A site or app by name (淘宝, 王者荣耀): keep what the customer wrote for the ticket.
  const name = text.trim();
  return /[\p{L}\p{N}]/u.test(name) && name.length <= 200 ? { kind: 'value', value: name } : undefined;
}

function readText(text: string): SlotAnswer | undefined {
  const trimmed = text.trim();
  return /[\p{L}\p{N}]/u.test(trimmed) ? { kind: 'value', value: trimmed.slice(0, MAX_STORED_TEXT) } : undefined;
}

function readTicketReference(nlu: NluAnalysis): SlotAnswer | undefined {
  const id = entity(nlu, 'ticket_number') ?? entity(nlu, 'account') ?? entity(nlu, 'phone');
  return id === undefined ? undefined : { kind: 'value', value: String(id) };
}

/** The answer to `slot`, or undefined when the message does not answer it. */
export function readSlotAnswer(
  slot: Slot,
  nlu: NluAnalysis,
  lexicon: AnswerLexicon,
  options: readonly ChoiceOption[] = [],
): SlotAnswer | undefined {
  const text = nlu.text;
  switch (slot) {
    case 'resolved':
    case 'confirm': {
      const yesNo = readYesNo(text, lexicon);
      return yesNo ? { kind: 'value', value: yesNo } : undefined;
    }
    case 'choice':
    case 'satisfaction': {
      const value = readChoice(text, options);
      return value === undefined ? undefined : { kind: 'value', value };
    }
    case 'speed_mbps':
      return readSpeed(text, nlu, lexicon);
    case 'error_code':
      return readErrorCode(text, nlu, lexicon);
    case 'account':
      return readAccount(nlu);
    case 'phone':
      return readPhone(text, nlu);
    case 'url':
      return readUrl(text, nlu);
    case 'ticket_number':
      return readTicketReference(nlu);
    case 'text':
      return readText(text);
  }
}
