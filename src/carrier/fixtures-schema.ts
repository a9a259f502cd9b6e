import { z } from 'zod';
import { normalizeAccountId } from './lookup-keys.js';
import type { Account, AuthError, Order, RegionalFault } from './port.js';
import { blockedHost, recordShapes, text, withMaskedHolder } from './record-fields.js';

export interface Fixtures {
  accounts: Account[];
  outages: RegionalFault[];
  orders: Order[];
  blockedSites: string[];
  egressFaults: RegionalFault[];
  authErrors: (AuthError & { account: string })[];
}

const record = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: 'must be an object' });
// A missing list is an empty one, so a file may describe only what its test needs.
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'must be a list' }).default([]);

/** Time fields that hold durations are resolved against `now`, the moment the file is loaded. */
export function fixturesSchema(now: Date): z.ZodType<Fixtures> {
  const shapes = recordShapes(now);
  return z
    .strictObject(
      {
        accounts: list(record(shapes.account).transform(withMaskedHolder)),
        outages: list(record(shapes.fault)),
        orders: list(
          record(shapes.order).refine((o) => o.promisedBy.getTime() >= o.createdAt.getTime(), {
            path: ['promisedBy'],
            message: 'must not be before createdAt',
          }),
        ),
        blockedSites: list(blockedHost()),
        egressFaults: list(record(shapes.fault)),
        authErrors: list(record({ account: text(), ...shapes.authError })),
      },
      { error: 'the fixtures must be a JSON object' },
    )
    .superRefine(checkReferences);
}

/** What no single record can see: repeated keys, and orders or errors of accounts that do not exist. */
function checkReferences(fixtures: Fixtures, ctx: z.RefinementCtx): void {
  const flagRepeats = (listName: string, field: string, keys: string[]) => {
    const firstAt = new Map<string, number>();
    keys.forEach((key, i) => {
      const earlier = firstAt.get(key);
      if (earlier === undefined) firstAt.set(key, i);
      else ctx.addIssue({ code: 'custom', path: [listName, i, field], message: `repeats ${listName}[${earlier}].${field}` });
    });
  };
  const accountIds = fixtures.accounts.map((a) => normalizeAccountId(a.account));
  flagRepeats('accounts', 'account', accountIds);
  flagRepeats('accounts', 'phone', fixtures.accounts.map((a) => a.phone));
  flagRepeats('orders', 'id', fixtures.orders.map((o) => o.id));

  const known = new Set(accountIds);
  const flagUnknown = (listName: string, items: { account: string }[]) => {
    items.forEach((item, i) => {
      if (known.has(normalizeAccountId(item.account))) return;
      ctx.addIssue({
        code: 'custom',
        path: [listName, i, 'account'],
        message: `must name an account listed in accounts (got ${JSON.stringify(item.account)})`,
      });
    });
  };
  flagUnknown('orders', fixtures.orders);
  flagUnknown('authErrors', fixtures.authErrors);
}
