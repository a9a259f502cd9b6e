import { z } from 'zod';
import { alternation, normalizeWord, readEntityData } from './data-files.js';
import type { Candidate } from './types.js';

const UrlData = z.object({ tlds: z.array(z.string().regex(/^[a-z]{2,}$/)).min(1) });
const data = UrlData.parse(readEntityData('url-tlds.json'));

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const TLD = `(?:${alternation(data.tlds.map(normalizeWord))})`;
const IPV4 = '(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)';
// Host = labels ending in a known TLD (so "1.5m" and "v2.0" are not hosts), or a dotted quad
// ("192.168.1.1" is how customers name the router's admin page).
const HOST = `(?:(?:${LABEL}\\.)+${TLD}|${IPV4})`;
const PATH = "(?:[/?#][a-z0-9\\-._~:/?#\\[\\]@!$&'*+,;=%]*)?";
// The host must not continue an e-mail address ("abc@qq.com") or a longer word, and must not
// be followed by "@" (the local part "zhang.com@…") or more host characters.
const URL = new RegExp(
  `(?:(https?|ftp)://)?(?<![a-z0-9@._-])(${HOST})(?::\\d{1,5})?(?![a-z0-9@_-]|\\.[a-z0-9])${PATH}`,
  'dg',
);

/** URLs and bare domains; the value is the host in lower case, the text keeps what was written. */
export function extractUrls(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(URL)) {
    // A path rarely ends in sentence punctuation: "打不开www.jd.com/abc." means the URL then a full stop.
    const trimmed = m[0].replace(/[.,;:!?'\])]+$/, '');
    out.push({ type: 'url', value: m[2]!, start: m.index, end: m.index + trimmed.length, priority: 90 });
  }
  return out;
}
