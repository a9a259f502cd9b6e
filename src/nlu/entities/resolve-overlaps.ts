import type { Candidate } from './types.js';

/**
 * Keeps a set of non-overlapping candidates: higher priority first, then the longer span, then
 * the earlier one. A ticket number beats the account-shaped "kd20261122" inside it; an account
 * named after "账号" beats the phone number with the same digits.
 */
export function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    if (kept.every((k) => c.end <= k.start || k.end <= c.start)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}
