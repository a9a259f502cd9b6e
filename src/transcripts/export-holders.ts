/**
 * The account holder's real name, for masking it in an export: the transcripts only hold what the
 * customer typed, so the name comes from the back office, once per account or phone however many
 * conversations mention it.
 */
import type { AccountQuery, CarrierPort } from '../carrier/port.js';
import type { TranscriptEntry } from './transcript-store.js';

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

/** The holders of every account a conversation named (by account id or phone, as the NLU read them, or on its tickets). */
export async function holdersNamedIn(
  entries: ReadonlyArray<Pick<TranscriptEntry, 'nlu'>>,
  tickets: ReadonlyArray<{ account?: string }>,
  holderOf: HolderLookup | undefined,
): Promise<string[]> {
  if (!holderOf) return [];
  const queries = new Map<string, AccountQuery>();
  for (const t of tickets) if (t.account) queries.set(`a:${t.account}`, { account: t.account });
  for (const entity of entries.flatMap((e) => e.nlu?.entities ?? [])) {
    if (entity.type === 'account') queries.set(`a:${entity.value}`, { account: String(entity.value) });
    if (entity.type === 'phone') queries.set(`p:${entity.value}`, { phone: String(entity.value) });
  }
  const names = await Promise.all([...queries.values()].map(holderOf));
  return [...new Set(names.filter((n): n is string => Boolean(n)))];
}
