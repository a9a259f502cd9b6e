/**
 * WeChat signs every callback: sha1 over the sorted strings (token, timestamp, nonce, and in safe mode
 * the Encrypt value). Checks are constant-time, and a timestamp too far from now is refused so a
 * captured request cannot be replayed later.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from this server's clock, either way. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

export function signatureMatches(given: unknown, parts: string[]): boolean {
  if (typeof given !== 'string' || !/^[0-9a-f]{40}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'utf8'), Buffer.from(wechatSignature(...parts), 'utf8'));
}

export function timestampIsFresh(timestamp: unknown, nowMs = Date.now()): boolean {
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_SECONDS;
}
