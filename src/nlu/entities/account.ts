import { z } from 'zod';
import { alternation, normalizeWord, readEntityData } from './data-files.js';
import type { Candidate } from './types.js';

const AccountData = z.object({ keywords: z.array(z.string().min(1)).min(1) });
const data = AccountData.parse(readEntityData('accounts.json'));

// The carrier's demo accounts: 2–4 Latin letters then 6–12 digits, e.g. ad88001234.
const ACCOUNT_SHAPE = /(?<![a-z0-9@._-])[a-z]{2,4}\d{6,12}(?![a-z0-9@_-]|\.[a-z0-9])/g;
// After an explicit "宽带账号是" any plausible login name counts, whatever its shape.
const AFTER_KEYWORD = new RegExp(
  `(?:${alternation(data.keywords.map(normalizeWord))})\\s*(?:是|为|:|=)?\\s*([a-z0-9@._-]{6,32})(?![a-z0-9@._-])`,
  'g',
);

/** Broadband account ids, lower-cased (logins are case-insensitive on the carrier's side). */
export function extractAccounts(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(AFTER_KEYWORD)) {
    // Sentence punctuation glued to the id ("账号是ad88001234.") is not part of it.
    const id = m[1]!.replace(/[._-]+$/, '');
    if (id.length < 6) continue;
    const start = m.index + m[0].length - m[1]!.length;
    // A phone number said to be the account is the account: many carriers use it as the login.
    out.push({ type: 'account', value: id, start, end: start + id.length, priority: 85 });
  }
  for (const m of text.matchAll(ACCOUNT_SHAPE)) {
    out.push({ type: 'account', value: m[0], start: m.index, end: m.index + m[0].length, priority: 75 });
  }
  return out;
}
