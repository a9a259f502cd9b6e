import { z } from 'zod';
import { alternation, normalizeWord, readEntityData } from './data-files.js';
import type { Candidate } from './types.js';

const ErrorCodeData = z.object({
  wellKnown: z.array(z.string().regex(/^\d{1,4}$/)).min(1),
  contextBefore: z.array(z.string().min(1)).min(1),
  contextAfter: z.array(z.string().min(1)).min(1),
  unitsAfter: z.array(z.string().min(1)),
  notBefore: z.array(z.string().min(1)),
});
const data = ErrorCodeData.parse(readEntityData('error-codes.json'));
const words = (list: string[]): string => alternation(list.map(normalizeWord));

// A number is a code only as a number of its own: not inside a longer run, a decimal, a date
// (2026-11-22), a time (12:30) or an amount / quantity / speed ("678元", "691兆", "3次").
const STANDALONE_BEFORE = `(?<![0-9.])(?<![0-9][:/-])(?<!${words(data.notBefore)})`;
const STANDALONE_AFTER = `(?![0-9]|[.:/-][0-9]|\\s*(?:${words(data.unitsAfter)}))`;
// Between the context word and the code only fillers: "错误代码：691", "提示 “678”", "code=769".
const FILLER = `[\\s:="“'‘\\[(【（#是为码号了出的]{0,4}`;

const AFTER_CONTEXT = new RegExp(
  `(?:${words(data.contextBefore)})${FILLER}${STANDALONE_BEFORE}(\\d{1,3})${STANDALONE_AFTER}`,
  'dg',
);
const BEFORE_CONTEXT = new RegExp(
  `${STANDALONE_BEFORE}(\\d{3})\\s*(?:的)?(?=${words(data.contextAfter)})`,
  'dg',
);
const WELL_KNOWN = new RegExp(`${STANDALONE_BEFORE}(${words(data.wellKnown)})${STANDALONE_AFTER}`, 'dg');

/** Dial-up / authentication error codes, value as written ("691"). */
export function extractErrorCodes(text: string): Candidate[] {
  const out: Candidate[] = [];
  const push = (m: RegExpExecArray, priority: number): void => {
    const [start, end] = m.indices![1]!;
    out.push({ type: 'error_code', value: m[1]!, start, end, priority });
  };
  for (const m of text.matchAll(AFTER_CONTEXT)) push(m, 55);
  for (const m of text.matchAll(BEFORE_CONTEXT)) push(m, 55);
  for (const m of text.matchAll(WELL_KNOWN)) push(m, 50);
  return out;
}
