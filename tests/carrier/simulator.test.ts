import { describe, expect, it } from 'vitest';
import { CarrierSimulator } from '../../src/carrier/simulator.js';

const HOUR = 3_600_000;

function makeSimulator() {
  let current = new Date('2025-06-01T08:00:00Z');
  const simulator = CarrierSimulator.fromObject(
    {
      accounts: [
        { account: 'ad1', phone: '13800000001', holder: '张三', address: '演示路1号', region: 'r1', status: 'active', planMbps: 300 },
        { account: 'ad2', phone: '13800000002', holder: '欧阳娜娜', address: '演示路2号', region: 'r2', status: 'arrears', planMbps: 100 },
      ],
      outages: [
        { region: 'r1', description: '光缆中断', estimatedRecovery: 'PT2H' },
        { region: 'r1', description: '设备割接', estimatedRecovery: 'PT5H' },
        { region: 'r2', description: '昨日故障（已恢复）', estimatedRecovery: '-PT1H' },
      ],
      egressFaults: [{ region: 'r2', description: '出口链路故障', estimatedRecovery: 'PT1H' }],
      orders: [
        { id: 'WO1', account: 'ad1', type: 'install', createdAt: '-P5D', promisedBy: '-P2D', status: 'open' },
        { id: 'WO2', account: 'ad1', type: 'repair', createdAt: '-PT3H', promisedBy: 'PT21H', status: 'open' },
        { id: 'WO3', account: 'ad2', type: 'move', createdAt: '-P1D', promisedBy: 'P1D', status: 'open' },
      ],
      blockedSites: ['blocked-example.cn', '例子.中国'],
      authErrors: [
        { account: 'ad1', code: '691', at: '-PT3H' },
        { account: 'ad1', code: '678', at: '-PT1H' },
        { account: 'ad1', code: '691', at: '-PT30H' },
      ],
    },
    { now: () => current },
  );
  return { simulator, advance: (ms: number) => (current = new Date(current.getTime() + ms)), at: () => current };
}

describe('CarrierSimulator', () => {
  it('finds an account by account id or phone, with the holder masked', async () => {
    const { simulator } = makeSimulator();
    const byId = await simulator.findAccount({ account: ' AD2 ' });
    expect(byId).toMatchObject({ account: 'ad2', holder: '欧阳娜娜', maskedHolder: '欧**娜', status: 'arrears', planMbps: 100 });
    expect(await simulator.findAccount({ phone: '+86 138-0000-0001' })).toMatchObject({ account: 'ad1', maskedHolder: '张*' });
    expect(await simulator.findAccount({ account: 'ad1', phone: '13800000001' })).toMatchObject({ account: 'ad1' });
  });

  it('answers null for an unknown account, an empty query, or a mismatched pair', async () => {
    const { simulator } = makeSimulator();
    expect(await simulator.findAccount({ account: 'ad9' })).toBeNull();
    expect(await simulator.findAccount({})).toBeNull();
    expect(await simulator.findAccount({ account: ' ' })).toBeNull();
    expect(await simulator.findAccount({ account: 'ad1', phone: '13800000002' })).toBeNull();
  });

  it('does not let callers change its data', async () => {
    const { simulator } = makeSimulator();
    const account = await simulator.findAccount({ account: 'ad1' });
    account!.status = 'suspended';
    const [order] = await simulator.ordersFor('ad1', 'install');
    order!.promisedBy.setTime(0);
    expect(await simulator.accountStatus('ad1')).toBe('active');
    expect((await simulator.ordersFor('ad1', 'install'))[0]?.promisedBy.getTime()).not.toBe(0);
  });

  it('reports the account status, or null for an unknown account', async () => {
    const { simulator } = makeSimulator();
    expect(await simulator.accountStatus('ad2')).toBe('arrears');
    expect(await simulator.accountStatus('ad9')).toBeNull();
  });

  it('answers the longest-lasting active outage and drops it once recovery time has passed', async () => {
    const { simulator, advance, at } = makeSimulator();
    const start = at().getTime();
    expect(await simulator.outageFor('r1')).toEqual({
      region: 'r1',
      description: '设备割接',
      estimatedRecovery: new Date(start + 5 * HOUR),
    });
    expect(await simulator.outageFor('r2')).toBeNull();
    expect(await simulator.outageFor('r9')).toBeNull();
    advance(5 * HOUR);
    expect(await simulator.outageFor('r1')).toBeNull();
  });

  it('answers an active egress fault and drops it once recovery time has passed', async () => {
    const { simulator, advance } = makeSimulator();
    expect(await simulator.egressFaultFor('r2')).toMatchObject({ description: '出口链路故障' });
    expect(await simulator.egressFaultFor('r1')).toBeNull();
    advance(HOUR + 1);
    expect(await simulator.egressFaultFor('r2')).toBeNull();
  });

  it('lists recent authentication errors newest first within the window', async () => {
    const { simulator, at } = makeSimulator();
    const start = at().getTime();
    expect(await simulator.recentAuthErrors('ad1')).toEqual([
      { code: '678', at: new Date(start - HOUR) },
      { code: '691', at: new Date(start - 3 * HOUR) },
    ]);
    expect((await simulator.recentAuthErrors('ad1', 48)).map((e) => e.code)).toEqual(['678', '691', '691']);
    expect(await simulator.recentAuthErrors('ad1', 2)).toHaveLength(1);
    expect(await simulator.recentAuthErrors('ad2')).toEqual([]);
  });

  it('lists orders newest first, optionally of one type', async () => {
    const { simulator } = makeSimulator();
    expect((await simulator.ordersFor('ad1')).map((o) => o.id)).toEqual(['WO2', 'WO1']);
    expect((await simulator.ordersFor('AD1', 'install')).map((o) => o.id)).toEqual(['WO1']);
    expect(await simulator.ordersFor('ad1', 'move')).toEqual([]);
    expect(await simulator.ordersFor('ad9')).toEqual([]);
  });

  it.each([
    ['blocked-example.cn', true],
    ['BLOCKED-EXAMPLE.CN.', true],
    ['www.blocked-example.cn', true],
    ['a.b.blocked-example.cn', true],
    ['https://www.blocked-example.cn/path?q=1#top', true],
    ['http://blocked-example.cn:8080', true],
    ['blocked-example.cn/some/page', true],
    ['//cdn.blocked-example.cn/x.js', true],
    ['http://user@blocked-example.cn/', true],
    ['https://www.例子.中国/首页', true],
    ['notblocked-example.cn', false],
    ['blocked-example.cn.evil.com', false],
    ['https://example.cn/?u=blocked-example.cn', false],
    ['example.cn', false],
    ['', false],
    ['http://', false],
  ])('isSiteBlocked(%j) is %s', async (input, blocked) => {
    const { simulator } = makeSimulator();
    expect(await simulator.isSiteBlocked(input)).toBe(blocked);
  });
});
