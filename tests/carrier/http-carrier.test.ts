import { afterEach, describe, expect, it } from 'vitest';
import { CarrierConfigError, CarrierUnavailableError } from '../../src/carrier/errors.js';
import { HttpCarrier } from '../../src/carrier/http-carrier.js';
import { sendJson, startFakeBackOffice, type FakeBackOffice } from './fake-back-office.js';

const NOW = new Date('2025-06-01T08:00:00Z');
const now = () => NOW;

const ACCOUNT = {
  account: 'ad1',
  phone: '13800000001',
  holder: '欧阳娜娜',
  address: '演示路1号',
  region: 'r1',
  status: 'arrears',
  planMbps: 300,
  // Fields the contract does not name are ignored.
  customerLevel: 'gold',
};

/** The contract, answered the way a well-behaved back office would. */
const ROUTES: Record<string, unknown> = {
  '/api/v1/accounts?account=ad1': ACCOUNT,
  '/api/v1/accounts?phone=13800000001': ACCOUNT,
  '/api/v1/accounts?account=ad9': null,
  '/api/v1/regions/r1/outage': { description: '光缆中断', estimatedRecovery: '2025-06-01T18:00:00+08:00' },
  '/api/v1/regions/r2/outage': null,
  '/api/v1/regions/r3/outage': { description: '已恢复', estimatedRecovery: '2025-06-01T07:00:00Z' },
  '/api/v1/regions/%E8%A5%BF%E6%B9%96/egress-fault': { description: '出口故障', estimatedRecovery: '2025-06-01T09:00:00Z' },
  '/api/v1/accounts/ad1/auth-errors?sinceHours=24': [
    { code: '691', at: '2025-06-01T05:00:00Z' },
    { code: '678', at: '2025-06-01T07:00:00Z' },
    { code: '691', at: '2025-05-30T07:00:00Z' },
  ],
  '/api/v1/accounts/ad1/orders': [
    { id: 'WO1', account: 'ad1', type: 'install', createdAt: '2025-05-20T00:00:00Z', promisedBy: '2025-05-25T00:00:00Z', status: 'open' },
    { id: 'WO2', account: 'ad1', type: 'repair', createdAt: '2025-05-31T00:00:00Z', promisedBy: '2025-06-02T00:00:00Z', status: 'open' },
  ],
  '/api/v1/accounts/ad1/orders?type=install': [
    { id: 'WO1', account: 'ad1', type: 'install', createdAt: '2025-05-20T00:00:00Z', promisedBy: '2025-05-25T00:00:00Z', status: 'open' },
  ],
  '/api/v1/accounts/a%2Fb/orders': [],
  '/api/v1/blocked-sites?host=www.blocked-example.cn': { blocked: true },
  '/api/v1/blocked-sites?host=example.cn': { blocked: false },
};

let backOffice: FakeBackOffice | undefined;
afterEach(async () => {
  await backOffice?.close();
  backOffice = undefined;
});

async function carrierAgainst(
  handler: Parameters<typeof startFakeBackOffice>[0],
  timeoutMs = 2000,
): Promise<{ carrier: HttpCarrier; office: FakeBackOffice }> {
  backOffice = await startFakeBackOffice(handler);
  return { carrier: new HttpCarrier({ baseUrl: backOffice.url, timeoutMs, now }), office: backOffice };
}

async function failureOf(call: Promise<unknown>): Promise<CarrierUnavailableError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CarrierUnavailableError);
  return error as CarrierUnavailableError;
}

describe('HttpCarrier against a fake back office', () => {
  it('answers every port method from the REST contract', async () => {
    const { carrier, office } = await carrierAgainst((req, res) => {
      const url = req.url ?? '';
      if (Object.hasOwn(ROUTES, url)) sendJson(res, ROUTES[url]);
      else sendJson(res, { error: 'no such route' }, 404);
    });

    const { customerLevel: _ignored, ...contractFields } = ACCOUNT;
    const account = await carrier.findAccount({ account: 'ad1' });
    expect(account).toStrictEqual({ ...contractFields, maskedHolder: '欧**娜' });
    expect(await carrier.findAccount({ phone: '+86 138 0000 0001' })).toMatchObject({ account: 'ad1' });
    expect(await carrier.findAccount({ account: 'ad9' })).toBeNull();
    expect(await carrier.accountStatus('ad1')).toBe('arrears');

    expect(await carrier.outageFor('r1')).toEqual({
      region: 'r1',
      description: '光缆中断',
      estimatedRecovery: new Date('2025-06-01T10:00:00Z'),
    });
    expect(await carrier.outageFor('r2')).toBeNull();
    expect(await carrier.outageFor('r3')).toBeNull();
    expect(await carrier.egressFaultFor('西湖')).toMatchObject({ region: '西湖', description: '出口故障' });

    expect(await carrier.recentAuthErrors('ad1')).toEqual([
      { code: '678', at: new Date('2025-06-01T07:00:00Z') },
      { code: '691', at: new Date('2025-06-01T05:00:00Z') },
    ]);
    expect((await carrier.ordersFor('ad1')).map((o) => o.id)).toEqual(['WO2', 'WO1']);
    expect((await carrier.ordersFor('ad1', 'install')).map((o) => o.id)).toEqual(['WO1']);
    expect(await carrier.ordersFor('a/b')).toEqual([]);

    expect(await carrier.isSiteBlocked('https://WWW.blocked-example.cn/page?x=1')).toBe(true);
    expect(await carrier.isSiteBlocked('example.cn')).toBe(false);
    expect(office.requests.filter((path) => !Object.hasOwn(ROUTES, path))).toEqual([]);
  });

  it('answers "nothing there" without a request for ids that cannot name a resource', async () => {
    const { carrier, office } = await carrierAgainst((_req, res) => sendJson(res, { error: 'unexpected' }, 500));
    expect(await carrier.findAccount({})).toBeNull();
    expect(await carrier.ordersFor('..')).toEqual([]);
    expect(await carrier.recentAuthErrors(' ')).toEqual([]);
    expect(await carrier.outageFor('.')).toBeNull();
    expect(await carrier.isSiteBlocked('')).toBe(false);
    expect(office.requests).toEqual([]);
  });

  it('maps a 500 to CarrierUnavailableError after exactly one retry', async () => {
    const { carrier, office } = await carrierAgainst((_req, res) => sendJson(res, { error: 'boom' }, 500));
    const error = await failureOf(carrier.outageFor('r1'));
    expect(error).toMatchObject({ reason: 'http_status', status: 500, operation: 'outageFor' });
    expect(office.requests).toHaveLength(2);
  });

  it('succeeds when the single retry does', async () => {
    let calls = 0;
    const { carrier, office } = await carrierAgainst((_req, res) => {
      calls += 1;
      if (calls === 1) sendJson(res, { error: 'busy' }, 503);
      else sendJson(res, { blocked: true });
    });
    expect(await carrier.isSiteBlocked('blocked-example.cn')).toBe(true);
    expect(office.requests).toHaveLength(2);
  });

  it('does not retry a client error', async () => {
    const { carrier, office } = await carrierAgainst((_req, res) => sendJson(res, { error: 'not found' }, 404));
    const error = await failureOf(carrier.findAccount({ account: 'ad1' }));
    expect(error).toMatchObject({ reason: 'http_status', status: 404 });
    expect(office.requests).toHaveLength(1);
  });

  it('gives up within the configured time when the server never answers', async () => {
    const { carrier, office } = await carrierAgainst(() => undefined, 300);
    const started = performance.now();
    const error = await failureOf(carrier.findAccount({ account: 'ad1' }));
    const elapsed = performance.now() - started;
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('carrier back office unavailable (findAccount): no answer within 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(800);
    expect(office.requests).toHaveLength(1);
  });

  it('gives up within the configured time when the body never ends', async () => {
    const { carrier } = await carrierAgainst((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"code":"691",');
    }, 300);
    const started = performance.now();
    const error = await failureOf(carrier.recentAuthErrors('ad1'));
    expect(error.reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(800);
  });

  it('maps malformed JSON to CarrierUnavailableError without retrying', async () => {
    const { carrier, office } = await carrierAgainst((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"account": "ad1",');
    });
    const error = await failureOf(carrier.findAccount({ account: 'ad1' }));
    expect(error.reason).toBe('bad_response');
    expect(office.requests).toHaveLength(1);
  });

  it('maps an answer of the wrong shape to CarrierUnavailableError naming the field', async () => {
    const [order] = ROUTES['/api/v1/accounts/ad1/orders?type=install'] as object[];
    const { carrier } = await carrierAgainst((_req, res) => sendJson(res, [{ ...order, status: 'closed' }]));
    const error = await failureOf(carrier.ordersFor('ad1'));
    expect(error.reason).toBe('bad_response');
    expect(error.message).toContain('[0].status must be one of open, done');
  });

  it('maps a refused connection to CarrierUnavailableError', async () => {
    const office = await startFakeBackOffice(() => undefined);
    await office.close();
    const carrier = new HttpCarrier({ baseUrl: office.url, timeoutMs: 2000, now });
    const error = await failureOf(carrier.egressFaultFor('r1'));
    expect(error.reason).toBe('network');
    expect(error.message).not.toContain('r1');
  });

  it('keeps account ids and phones out of error messages', async () => {
    const { carrier } = await carrierAgainst((_req, res) => sendJson(res, {}, 502));
    const error = await failureOf(carrier.findAccount({ phone: '13800000001' }));
    expect(error.message).toBe('carrier back office unavailable (findAccount): HTTP 502');
  });

  it.each([
    [{ baseUrl: 'not a url', timeoutMs: 1000 }, 'CARRIER_URL: must be an http:// or https:// URL (got "not a url")'],
    [{ baseUrl: 'ftp://bo.example', timeoutMs: 1000 }, 'CARRIER_URL: must be an http:// or https:// URL (got "ftp://bo.example")'],
    [{ baseUrl: 'http://bo.example', timeoutMs: 0 }, 'CARRIER_TIMEOUT_MS: must be a whole number of milliseconds greater than 0 (got 0)'],
  ])('rejects bad settings %j', (options, message) => {
    expect(() => new HttpCarrier(options)).toThrow(new CarrierConfigError(message));
  });
});
