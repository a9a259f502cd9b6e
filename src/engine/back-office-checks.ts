/**
 * Runs a flow's `check` step against the back-office port and reduces the answer to the outcome the
 * flow branches on, plus the values its messages show. A back office that fails or times out is the
 * outcome `unavailable`, never an exception: every flow says what to do then.
 */
import { orderTiming, type CarrierPort, type Order, type OrderType } from '../carrier/index.js';
import type { Logger } from '../logger.js';
import type { CheckName } from './flow-schema.js';
import { customerTime } from './replies.js';

export interface CheckResult {
  outcome: string;
  values: Record<string, string | number>;
}

type Values = Readonly<Record<string, string | number>>;

const MOBILE = /^1[3-9]\d{9}$/;
const PASSWORD_CODES = new Set(['691']);
const LINE_CODES = new Set(['678', '651']);
/** The customer's answer for "no code" (slot-answers' `nothing`). */
export const NO_ERROR_CODE = 'none';

function text(values: Values, key: string): string | undefined {
  const value = values[key];
  return value === undefined || value === '' ? undefined : String(value);
}

export class BackOfficeChecks {
  constructor(
    private readonly carrier: CarrierPort,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run(check: CheckName, values: Values): Promise<CheckResult> {
    try {
      return await this.query(check, values);
    } catch (err) {
      this.logger.warn({ err, check }, 'back-office check failed; continuing as unavailable');
      return { outcome: 'unavailable', values: {} };
    }
  }

  private async query(check: CheckName, values: Values): Promise<CheckResult> {
    const account = text(values, 'account');
    const region = text(values, 'region');
    switch (check) {
      case 'find_account':
        return this.findAccount(text(values, 'account_or_phone'));
      case 'outage': {
        if (!region) return { outcome: 'unavailable', values: {} };
        const outage = await this.carrier.outageFor(region);
        return outage
          ? { outcome: 'active', values: { outage_description: outage.description, outage_recovery: customerTime(outage.estimatedRecovery) } }
          : { outcome: 'none', values: {} };
      }
      case 'account_status': {
        if (!account) return { outcome: 'unavailable', values: {} };
        const status = await this.carrier.accountStatus(account);
        return status ? { outcome: status, values: { account_status: status } } : { outcome: 'unavailable', values: {} };
      }
      case 'auth_errors':
        return this.authErrors(account, text(values, 'error_code'));
      case 'install_order':
        return this.order(account, ['install', 'move']);
      case 'repair_order':
        return this.order(account, ['repair']);
      case 'site_blocked': {
        const url = text(values, 'url');
        if (!url) return { outcome: 'not_blocked', values: {} };
        return { outcome: (await this.carrier.isSiteBlocked(url)) ? 'blocked' : 'not_blocked', values: {} };
      }
      case 'egress_fault': {
        if (!region) return { outcome: 'unavailable', values: {} };
        const fault = await this.carrier.egressFaultFor(region);
        return fault
          ? { outcome: 'active', values: { egress_description: fault.description, egress_recovery: customerTime(fault.estimatedRecovery) } }
          : { outcome: 'none', values: {} };
      }
    }
  }

  private async findAccount(id: string | undefined): Promise<CheckResult> {
    if (!id) return { outcome: 'not_found', values: {} };
    const found = await this.carrier.findAccount(MOBILE.test(id) ? { phone: id } : { account: id });
    if (!found) return { outcome: 'not_found', values: {} };
    return {
      outcome: 'found',
      values: { account: found.account, phone: found.phone, masked_holder: found.maskedHolder, region: found.region, plan_mbps: found.planMbps },
    };
  }

  /** The code the customer reports counts as much as the back office's log; 691 outranks line codes. */
  private async authErrors(account: string | undefined, reported: string | undefined): Promise<CheckResult> {
    const codes: string[] = [];
    if (reported && reported !== NO_ERROR_CODE) codes.push(reported);
    let backOfficeDown = false;
    if (account) {
      try {
        codes.push(...(await this.carrier.recentAuthErrors(account)).map((e) => e.code));
      } catch (err) {
        this.logger.warn({ err, check: 'auth_errors' }, 'authentication log unavailable');
        backOfficeDown = true;
      }
    } else {
      backOfficeDown = true;
    }
    const password = codes.find((c) => PASSWORD_CODES.has(c));
    if (password) return { outcome: 'password', values: { auth_error_code: password } };
    const line = codes.find((c) => LINE_CODES.has(c));
    if (line) return { outcome: 'line', values: { auth_error_code: line } };
    if (codes[0]) return { outcome: 'other', values: { auth_error_code: codes[0] } };
    return { outcome: backOfficeDown ? 'unavailable' : 'none', values: {} };
  }

  private async order(account: string | undefined, types: OrderType[]): Promise<CheckResult> {
    if (!account) return { outcome: 'unavailable', values: {} };
    const orders: Order[] = [];
    for (const type of types) orders.push(...(await this.carrier.ordersFor(account, type)));
    const newest = orders.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    if (!newest) return { outcome: 'none', values: {} };
    return {
      outcome: orderTiming(newest, this.clock()),
      values: { order_id: newest.id, promised_by: customerTime(newest.promisedBy) },
    };
  }
}
