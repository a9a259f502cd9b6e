import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CarrierConfigError } from '../../src/carrier/errors.js';
import { DEMO_FIXTURES_PATH } from '../../src/carrier/factory.js';
import { loadFixturesFile, parseFixtures } from '../../src/carrier/fixtures-loader.js';

const now = new Date('2025-06-01T08:00:00Z');

function goodFixtures(): Record<string, any> {
  return {
    accounts: [
      { account: 'ad1', phone: '13800000001', holder: '张三', address: '演示路1号', region: 'r1', status: 'active', planMbps: 300 },
      { account: 'ad2', phone: '13800000002', holder: '李四', address: '演示路2号', region: 'r1', status: 'arrears', planMbps: 100 },
      { account: 'ad3', phone: '13800000003', holder: '欧阳娜娜', address: '演示路3号', region: 'r2', status: 'suspended', planMbps: 500 },
    ],
    outages: [{ region: 'r1', description: '光缆中断', estimatedRecovery: 'PT3H' }],
    orders: [
      { id: 'WO1', account: 'ad1', type: 'install', createdAt: '-P2D', promisedBy: '2025-06-02T00:00:00+08:00', status: 'open' },
    ],
    blockedSites: ['blocked-example.cn'],
    egressFaults: [{ region: 'r2', description: '出口故障', estimatedRecovery: '2025-06-01T20:00:00+08:00' }],
    authErrors: [{ account: 'ad2', code: '691', at: '-PT1H' }],
  };
}

/** The one line a bad value produces. */
function lineFor(mutate: (f: Record<string, any>) => unknown): string {
  const fixtures = goodFixtures();
  const replaced = mutate(fixtures);
  try {
    parseFixtures(replaced === undefined ? fixtures : replaced, now);
  } catch (error) {
    expect(error).toBeInstanceOf(CarrierConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the fixtures were accepted');
}

describe('fixtures validation', () => {
  it('accepts a good file and resolves relative times against the load time', () => {
    const fixtures = parseFixtures(goodFixtures(), now);
    expect(fixtures.accounts.map((a) => a.maskedHolder)).toEqual(['张*', '李*', '欧**娜']);
    expect(fixtures.outages[0]?.estimatedRecovery.toISOString()).toBe('2025-06-01T11:00:00.000Z');
    expect(fixtures.orders[0]?.createdAt.toISOString()).toBe('2025-05-30T08:00:00.000Z');
    expect(fixtures.orders[0]?.promisedBy.toISOString()).toBe('2025-06-01T16:00:00.000Z');
    expect(fixtures.authErrors[0]?.at.toISOString()).toBe('2025-06-01T07:00:00.000Z');
  });

  it('treats every missing top-level key as empty', () => {
    expect(parseFixtures({}, now)).toEqual({
      accounts: [],
      outages: [],
      orders: [],
      blockedSites: [],
      egressFaults: [],
      authErrors: [],
    });
  });

  it('loads the bundled demo file', () => {
    const fixtures = loadFixturesFile(DEMO_FIXTURES_PATH, now);
    expect(fixtures.accounts.length).toBeGreaterThanOrEqual(13);
  });

  it.each<[string, (f: Record<string, any>) => unknown, string]>([
    ['an unknown status', (f) => void (f.accounts[2].status = 'closed'), 'accounts[2].status must be one of active, arrears, suspended'],
    ['a missing field', (f) => void delete f.accounts[0].region, 'accounts[0].region is required'],
    ['an empty string', (f) => void (f.accounts[1].holder = '  '), 'accounts[1].holder must not be empty'],
    ['a number for a string', (f) => void (f.accounts[0].address = 12), 'accounts[0].address must be a string'],
    ['a bad phone', (f) => void (f.accounts[0].phone = '138-0000'), 'accounts[0].phone must be a phone number of 5 to 15 digits'],
    ['a zero plan', (f) => void (f.accounts[0].planMbps = 0), 'accounts[0].planMbps must be a whole number of Mbps greater than 0'],
    ['a fractional plan', (f) => void (f.accounts[0].planMbps = 1.5), 'accounts[0].planMbps must be a whole number of Mbps greater than 0'],
    ['a plan as text', (f) => void (f.accounts[0].planMbps = '300'), 'accounts[0].planMbps must be a whole number of Mbps greater than 0'],
    ['an extra field', (f) => void (f.accounts[0].note = '演示'), 'accounts[0] has unknown field "note"'],
    ['a record that is not an object', (f) => void (f.accounts[1] = 'ad2'), 'accounts[1] must be an object'],
    ['a list that is not a list', (f) => void (f.outages = {}), 'outages must be a list'],
    ['an unknown top-level key', (f) => void (f.acounts = []), 'the top level has unknown field "acounts"'],
    ['a top level that is not an object', () => [], 'the fixtures must be a JSON object'],
    [
      'a time that is neither form',
      (f) => void (f.outages[0].estimatedRecovery = '3 hours'),
      'outages[0].estimatedRecovery must be an ISO-8601 date-time such as 2025-06-01T09:00:00+08:00, or a duration from load time such as PT3H or -P2D',
    ],
    [
      'a date-time without an offset',
      (f) => void (f.authErrors[0].at = '2025-06-01T09:00:00'),
      'authErrors[0].at must be an ISO-8601 date-time such as 2025-06-01T09:00:00+08:00, or a duration from load time such as PT3H or -P2D',
    ],
    ['an unknown order type', (f) => void (f.orders[0].type = 'upgrade'), 'orders[0].type must be one of install, move, repair'],
    ['an unknown order status', (f) => void (f.orders[0].status = 'closed'), 'orders[0].status must be one of open, done'],
    ['a promise before creation', (f) => void (f.orders[0].promisedBy = '-P3D'), 'orders[0].promisedBy must not be before createdAt'],
    [
      'a blocked site given as a URL',
      (f) => void f.blockedSites.push('https://x.cn/a'),
      'blockedSites[1] must be a host name such as example.cn (no scheme, port or path)',
    ],
    ['a repeated account', (f) => void (f.accounts[2].account = 'AD1'), 'accounts[2].account repeats accounts[0].account'],
    ['a repeated phone', (f) => void (f.accounts[1].phone = '13800000001'), 'accounts[1].phone repeats accounts[0].phone'],
    ['a repeated order id', (f) => void f.orders.push({ ...f.orders[0] }), 'orders[1].id repeats orders[0].id'],
    ['an order of an unknown account', (f) => void (f.orders[0].account = 'ad9'), 'orders[0].account must name an account listed in accounts (got "ad9")'],
    [
      'an auth error of an unknown account',
      (f) => void (f.authErrors[0].account = 'ad9'),
      'authErrors[0].account must name an account listed in accounts (got "ad9")',
    ],
  ])('reports %s as one line naming the path', (_kind, mutate, expected) => {
    expect(lineFor(mutate)).toBe(`CARRIER_FIXTURES: ${expected}`);
  });

  it('reports the first problem and counts the rest', () => {
    const line = lineFor((f) => {
      f.accounts[0].status = 'x';
      f.accounts[1].status = 'y';
      f.outages[0].region = '';
    });
    expect(line).toBe('CARRIER_FIXTURES: accounts[0].status must be one of active, arrears, suspended (and 2 more problems)');
  });
});

describe('fixtures file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carrier-fixtures-'));

  it('names a file it cannot read', () => {
    const path = join(dir, 'missing.json');
    expect(() => loadFixturesFile(path, now)).toThrow(`CARRIER_FIXTURES: cannot read ${path} (ENOENT)`);
  });

  it('names a file that is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"accounts": [');
    expect(() => loadFixturesFile(path, now)).toThrow(new RegExp(`^CARRIER_FIXTURES: ${path} is not valid JSON \\(.+\\)$`));
  });

  it('reads a file saved with a byte-order mark', () => {
    const path = join(dir, 'bom.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(goodFixtures())}`);
    expect(loadFixturesFile(path, now).accounts).toHaveLength(3);
  });

  it('reports schema problems with the same one line', () => {
    const path = join(dir, 'bad.json');
    const fixtures = goodFixtures();
    fixtures.accounts[2].status = 'closed';
    writeFileSync(path, JSON.stringify(fixtures));
    expect(() => loadFixturesFile(path, now)).toThrow(
      /^CARRIER_FIXTURES: accounts\[2\]\.status must be one of active, arrears, suspended$/,
    );
  });
});
