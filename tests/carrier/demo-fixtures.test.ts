import { describe, expect, it } from 'vitest';
import { DEMO_FIXTURES_PATH } from '../../src/carrier/factory.js';
import { orderTiming } from '../../src/carrier/order-timing.js';
import { CarrierSimulator } from '../../src/carrier/simulator.js';

/** The README's demo-account table promises these branches; this keeps the file honest. */
describe('demo fixtures', () => {
  const carrier = CarrierSimulator.fromFile(DEMO_FIXTURES_PATH);

  async function account(phone: string) {
    const found = await carrier.findAccount({ phone });
    expect(found, phone).not.toBeNull();
    return found!;
  }

  async function troubles(phone: string) {
    const a = await account(phone);
    return {
      status: a.status,
      outage: (await carrier.outageFor(a.region)) !== null,
      egress: (await carrier.egressFaultFor(a.region)) !== null,
      authCodes: (await carrier.recentAuthErrors(a.account)).map((e) => e.code),
    };
  }

  const healthy = { status: 'active', outage: false, egress: false, authCodes: [] };

  it.each([
    ['13800000001', { ...healthy, outage: true }],
    ['13800000002', { ...healthy, status: 'arrears' }],
    ['13800000003', { ...healthy, status: 'suspended' }],
    ['13800000004', { ...healthy, authCodes: ['691', '691'] }],
    ['13800000005', { ...healthy, authCodes: ['678'] }],
    ['13800000006', healthy],
    ['13800000007', healthy],
    ['13800000008', { ...healthy, egress: true }],
  ])('%s shows exactly its one trouble', async (phone, expected) => {
    expect(await troubles(phone)).toEqual(expected);
  });

  it('has a healthy 300 Mbps account and a 100 Mbps one', async () => {
    expect((await account('13800000006')).planMbps).toBe(300);
    expect((await account('13800000007')).planMbps).toBe(100);
  });

  it.each([
    ['13800000009', 'install', 'overdue'],
    ['13800000010', 'install', 'within_time'],
    ['13800000011', 'repair', 'overdue'],
    ['13800000012', 'repair', 'within_time'],
    ['13800000013', 'move', 'within_time'],
  ] as const)('%s has a %s order that is %s', async (phone, type, timing) => {
    const orders = await carrier.ordersFor((await account(phone)).account, type);
    expect(orders.map((o) => orderTiming(o))).toEqual([timing]);
  });

  it('blocks its fictional sites and nothing real', async () => {
    expect(await carrier.isSiteBlocked('https://www.blocked-example.cn/')).toBe(true);
    expect(await carrier.isSiteBlocked('video.blocked-demo.com.cn')).toBe(true);
    expect(await carrier.isSiteBlocked('www.baidu.com')).toBe(false);
  });

  it('uses only obviously fictional phone numbers', async () => {
    for (let i = 1; i <= 13; i++) {
      expect((await account(`138000000${String(i).padStart(2, '0')}`)).phone).toMatch(/^138000000\d\d$/);
    }
  });
});
