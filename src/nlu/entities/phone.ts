import type { Candidate } from './types.js';

// Mainland mobile numbers, optionally written 3-4-4 with spaces or dashes and an optional +86.
// Neither side may continue a digit run or a Latin id ("ad13800000000" is an account).
const MOBILE = /(?<![0-9a-z_])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})(?![0-9a-z_])/g;

/** Mobile phone numbers; the value is the 11 digits only. */
export function extractPhones(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(MOBILE)) {
    const [, head, , middle, tail] = m as unknown as [string, string, string, string, string];
    out.push({ type: 'phone', value: head + middle + tail, start: m.index, end: m.index + m[0].length, priority: 80 });
  }
  return out;
}
