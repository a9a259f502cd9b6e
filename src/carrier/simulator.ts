import { loadFixturesFile, parseFixtures } from './fixtures-loader.js';
import type { Fixtures } from './fixtures-schema.js';
import { normalizeAccountId, normalizePhone } from './lookup-keys.js';
import type { Account, AccountQuery, AccountStatus, AuthError, CarrierPort, Order, OrderType, RegionalFault } from './port.js';
import { activeFault, ordersOfType, recentErrors } from './queries.js';
import { hostIsUnder, hostOf } from './site-host.js';

const systemNow = () => new Date();

export interface SimulatorOptions {
  /** Tests move the clock to watch outages expire and orders fall overdue. */
  now?: () => Date;
}

/** The embedded back office: answers from fixtures held in memory, loaded once. */
export class CarrierSimulator implements CarrierPort {
  private readonly now: () => Date;

  static fromFile(path: string, options: SimulatorOptions = {}): CarrierSimulator {
    return new CarrierSimulator(loadFixturesFile(path, (options.now ?? systemNow)()), options);
  }

  /** For tests and tools that build the fixtures in code; validated exactly like a file. */
  static fromObject(raw: unknown, options: SimulatorOptions = {}): CarrierSimulator {
    return new CarrierSimulator(parseFixtures(raw, (options.now ?? systemNow)()), options);
  }

  constructor(
    private readonly fixtures: Fixtures,
    options: SimulatorOptions = {},
  ) {
    this.now = options.now ?? systemNow;
  }

  async findAccount(query: AccountQuery): Promise<Account | null> {
    const account = query.account === undefined ? undefined : normalizeAccountId(query.account);
    const phone = query.phone === undefined ? undefined : normalizePhone(query.phone);
    if (!account && !phone) return null;
    const found = this.fixtures.accounts.find(
      (a) =>
        (account === undefined || normalizeAccountId(a.account) === account) &&
        (phone === undefined || a.phone === phone),
    );
    return found ? { ...found } : null;
  }

  async outageFor(region: string): Promise<RegionalFault | null> {
    return activeFault(this.inRegion(this.fixtures.outages, region), this.now());
  }

  async accountStatus(account: string): Promise<AccountStatus | null> {
    return (await this.findAccount({ account }))?.status ?? null;
  }

  async recentAuthErrors(account: string, sinceHours = 24): Promise<AuthError[]> {
    return recentErrors(this.ofAccount(this.fixtures.authErrors, account), sinceHours, this.now());
  }

  async ordersFor(account: string, type?: OrderType): Promise<Order[]> {
    return ordersOfType(this.ofAccount(this.fixtures.orders, account), type);
  }

  async isSiteBlocked(hostOrUrl: string): Promise<boolean> {
    const host = hostOf(hostOrUrl);
    return host !== null && this.fixtures.blockedSites.some((blocked) => hostIsUnder(host, blocked));
  }

  async egressFaultFor(region: string): Promise<RegionalFault | null> {
    return activeFault(this.inRegion(this.fixtures.egressFaults, region), this.now());
  }

  private inRegion(faults: RegionalFault[], region: string): RegionalFault[] {
    const wanted = region.trim();
    return faults.filter((f) => f.region === wanted);
  }

  private ofAccount<T extends { account: string }>(items: T[], account: string): T[] {
    const wanted = normalizeAccountId(account);
    return items.filter((item) => normalizeAccountId(item.account) === wanted);
  }
}
