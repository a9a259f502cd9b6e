import { z } from 'zod';
import { maskHolder } from './holder-mask.js';
import { hostOf } from './site-host.js';
import { ACCOUNT_STATUSES, ORDER_STATUSES, ORDER_TYPES, type Account } from './port.js';
import { parseTimeValue, TIME_VALUE_HINT } from './time-value.js';

/**
 * The record vocabulary shared by the fixtures file and the HTTP contract. Every message reads after a
 * field path ("accounts[2].status must be one of …"), because whoever wrote the file fixes it from that line.
 */

const requiredElse = (otherwise: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : otherwise;

export const text = () => z.string({ error: requiredElse('must be a string') }).trim().min(1, 'must not be empty');

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: requiredElse(`must be one of ${values.join(', ')}`) });

const PHONE_HINT = 'must be a phone number of 5 to 15 digits';
const phone = () => z.string({ error: requiredElse(PHONE_HINT) }).trim().regex(/^\d{5,15}$/, PHONE_HINT);

const MBPS_HINT = 'must be a whole number of Mbps greater than 0';
const mbps = () => z.number({ error: requiredElse(MBPS_HINT) }).int(MBPS_HINT).positive(MBPS_HINT);

const time = (now: Date) =>
  z.string({ error: requiredElse(TIME_VALUE_HINT) }).transform((value, ctx) => {
    const at = parseTimeValue(value, now);
    if (at) return at;
    ctx.addIssue({ code: 'custom', message: TIME_VALUE_HINT });
    return z.NEVER;
  });

const HOST_HINT = 'must be a host name such as example.cn (no scheme, port or path)';
/** Stored in the same normal form hostOf() gives a customer's URL, so matching is a plain comparison. */
export const blockedHost = () =>
  z.string({ error: requiredElse(HOST_HINT) }).transform((value, ctx) => {
    const host = /^[^\s/:?#@*\\]+$/.test(value.trim()) ? hostOf(value) : null;
    if (host) return host;
    ctx.addIssue({ code: 'custom', message: HOST_HINT });
    return z.NEVER;
  });

/** Raw shapes; callers wrap them strictly (fixtures: a typo must not pass) or loosely (HTTP: new fields may appear). */
export function recordShapes(now: Date) {
  return {
    account: {
      account: text(),
      phone: phone(),
      holder: text(),
      address: text(),
      region: text(),
      status: oneOf(ACCOUNT_STATUSES),
      planMbps: mbps(),
    },
    fault: { region: text(), description: text(), estimatedRecovery: time(now) },
    order: {
      id: text(),
      account: text(),
      type: oneOf(ORDER_TYPES),
      createdAt: time(now),
      promisedBy: time(now),
      status: oneOf(ORDER_STATUSES),
    },
    authError: { code: text(), at: time(now) },
  };
}

/** The holder's masked form is derived here, once, so no adapter can forget it. */
export function withMaskedHolder(record: Omit<Account, 'maskedHolder'>): Account {
  return { ...record, maskedHolder: maskHolder(record.holder) };
}
