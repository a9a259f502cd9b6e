import { z } from 'zod';
import { CarrierConfigError, CarrierUnavailableError } from './errors.js';
import { getJson } from './http-get.js';
import { issueLine } from './issue-line.js';
import { normalizePhone } from './lookup-keys.js';
import type { Account, AccountQuery, AccountStatus, AuthError, CarrierPort, Order, OrderType, RegionalFault } from './port.js';
import { activeFault, ordersOfType, recentErrors } from './queries.js';
import { recordShapes, withMaskedHolder } from './record-fields.js';
import { hostOf } from './site-host.js';

/**
 * Adapter for a real back office over HTTP. The contract (all GET, JSON answers, same record shapes as
 * the fixtures file, times as ISO-8601 date-times; "not found" is a 200 with `null`, so a wrong base URL
 * answering 404 is an outage and never passes for "no such account"):
 *
 *   GET {base}/accounts?account={id}&phone={digits}      → account record | null   (either key; both → both must match)
 *   GET {base}/accounts/{id}/auth-errors?sinceHours={n}  → [{code, at}]
 *   GET {base}/accounts/{id}/orders[?type={type}]        → [order record]
 *   GET {base}/regions/{region}/outage                   → {description, estimatedRecovery} | null
 *   GET {base}/regions/{region}/egress-fault             → {description, estimatedRecovery} | null
 *   GET {base}/blocked-sites?host={host}                 → {"blocked": true|false}
 *
 * Path segments are percent-encoded. Extra fields in answers are ignored. Any non-2xx status, timeout,
 * network error, malformed JSON or answer of the wrong shape raises CarrierUnavailableError. Each call has
 * one budget of timeoutMs; within it a network error or a 5xx (not 501) is retried once. The adapter
 * still drops faults already recovered, filters and sorts lists, so flows see the simulator's semantics.
 */
export interface HttpCarrierOptions {
  baseUrl: string;
  timeoutMs: number;
  now?: () => Date;
}

export class HttpCarrier implements CarrierPort {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(options: HttpCarrierOptions) {
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new CarrierConfigError(
        `CARRIER_TIMEOUT_MS: must be a whole number of milliseconds greater than 0 (got ${options.timeoutMs})`,
      );
    }
    this.base = parseBaseUrl(options.baseUrl);
    this.timeoutMs = options.timeoutMs;
    this.now = options.now ?? (() => new Date());
  }

  async findAccount(query: AccountQuery): Promise<Account | null> {
    const account = query.account?.trim() || undefined;
    const phone = query.phone === undefined ? undefined : normalizePhone(query.phone) || undefined;
    if (!account && !phone) return null;
    return this.get('findAccount', ['accounts'], { account, phone }, (s) =>
      z.object(s.account).transform(withMaskedHolder).nullable(),
    );
  }

  async outageFor(region: string): Promise<RegionalFault | null> {
    return this.regionalFault('outageFor', region, 'outage');
  }

  async accountStatus(account: string): Promise<AccountStatus | null> {
    return (await this.findAccount({ account }))?.status ?? null;
  }

  async recentAuthErrors(account: string, sinceHours = 24): Promise<AuthError[]> {
    const id = pathSegment(account);
    if (!id) return [];
    const errors = await this.get(
      'recentAuthErrors',
      ['accounts', id, 'auth-errors'],
      { sinceHours: String(sinceHours) },
      (s) => z.array(z.object(s.authError)),
    );
    return recentErrors(errors, sinceHours, this.now());
  }

  async ordersFor(account: string, type?: OrderType): Promise<Order[]> {
    const id = pathSegment(account);
    if (!id) return [];
    const orders = await this.get('ordersFor', ['accounts', id, 'orders'], { type }, (s) =>
      z.array(z.object(s.order)),
    );
    return ordersOfType(orders, type);
  }

  async isSiteBlocked(hostOrUrl: string): Promise<boolean> {
    const host = hostOf(hostOrUrl);
    if (!host) return false;
    const answer = await this.get('isSiteBlocked', ['blocked-sites'], { host }, () =>
      z.object({ blocked: z.boolean({ error: 'must be true or false' }) }),
    );
    return answer.blocked;
  }

  async egressFaultFor(region: string): Promise<RegionalFault | null> {
    return this.regionalFault('egressFaultFor', region, 'egress-fault');
  }

  private async regionalFault(operation: string, region: string, kind: string): Promise<RegionalFault | null> {
    const wanted = pathSegment(region);
    if (!wanted) return null;
    const fault = await this.get(operation, ['regions', wanted, kind], {}, (s) =>
      z.object({ description: s.fault.description, estimatedRecovery: s.fault.estimatedRecovery }).nullable(),
    );
    return fault ? activeFault([{ region: wanted, ...fault }], this.now()) : null;
  }

  private async get<T>(
    operation: string,
    segments: string[],
    query: Record<string, string | undefined>,
    schema: (shapes: ReturnType<typeof recordShapes>) => z.ZodType<T>,
  ): Promise<T> {
    const url = new URL(segments.map(encodeURIComponent).join('/'), this.base);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    const body = await getJson(url, { operation, timeoutMs: this.timeoutMs });
    // Durations are resolved against the time of the answer, like a fixtures file against its load time.
    const result = schema(recordShapes(this.now())).safeParse(body);
    if (result.success) return result.data;
    throw new CarrierUnavailableError(operation, 'bad_response', `unexpected answer: ${issueLine(result.error.issues)}`);
  }
}

/**
 * URL resolution removes "." and ".." segments, so such an id would address another resource; none names
 * a real account or region, so they are answered as "nothing there".
 */
function pathSegment(value: string): string | null {
  const segment = value.trim();
  return segment === '' || segment === '.' || segment === '..' ? null : segment;
}

function parseBaseUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CarrierConfigError(`CARRIER_URL: must be an http:// or https:// URL (got ${JSON.stringify(text)})`);
  }
  // Relative resolution keeps a path prefix ("https://bo.example/api/v1") only when it ends in a slash.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}
