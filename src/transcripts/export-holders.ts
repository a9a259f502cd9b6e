/**
 * The account holder's real name, for masking it in an export: the transcripts only hold what the
 * customer typed, so the name comes from the back office, once per account or phone however many
 * conversations mention it.
 */
import type { AccountQuery, CarrierPort } from '../carrier/port.js';

export type HolderLookup = (query: AccountQuery) => Promise<string | undefined>;

/** A back office that is down or slow costs the export its name masking for that key, not the export. */
export function carrierHolders(carrier: CarrierPort): HolderLookup {
  const known = new Map<string, Promise<string | undefined>>();
  return (query) => {
    const key = query.account ? `a:${query.account.toLowerCase()}` : `p:${query.phone ?? ''}`;
    let holder = known.get(key);
    if (!holder) {
      holder = carrier.findAccount(query).then(
        (found) => found?.holder,
        () => undefined,
      );
      known.set(key, holder);
    }
    return holder;
  };
}
