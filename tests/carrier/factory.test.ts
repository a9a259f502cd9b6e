import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CarrierConfigError } from '../../src/carrier/errors.js';
import { createCarrier } from '../../src/carrier/factory.js';
import { HttpCarrier } from '../../src/carrier/http-carrier.js';
import { CarrierSimulator } from '../../src/carrier/simulator.js';

describe('createCarrier', () => {
  it('serves the bundled demo back office when nothing is configured', async () => {
    const carrier = createCarrier({ timeoutMs: 3000 });
    expect(carrier).toBeInstanceOf(CarrierSimulator);
    expect(await carrier.findAccount({ phone: '13800000001' })).toMatchObject({ account: 'ad88000001' });
  });

  it('serves a fixtures file when one is configured', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'carrier-factory-')), 'fixtures.json');
    writeFileSync(path, JSON.stringify({ blockedSites: ['only-this.cn'] }));
    const carrier = createCarrier({ fixturesPath: path, timeoutMs: 3000 });
    expect(await carrier.isSiteBlocked('www.only-this.cn')).toBe(true);
    expect(await carrier.findAccount({ phone: '13800000001' })).toBeNull();
  });

  it('stops with the one-line error when the fixtures file is bad', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'carrier-factory-')), 'bad.json');
    writeFileSync(path, JSON.stringify({ outages: [{ region: 'r1', description: '故障', estimatedRecovery: 'soon' }] }));
    expect(() => createCarrier({ fixturesPath: path, timeoutMs: 3000 })).toThrow(
      /^CARRIER_FIXTURES: outages\[0\]\.estimatedRecovery must be an ISO-8601 date-time/,
    );
  });

  it('talks HTTP when a back-office URL is configured', () => {
    expect(createCarrier({ url: 'http://127.0.0.1:9/api', timeoutMs: 3000 })).toBeInstanceOf(HttpCarrier);
  });

  it('refuses both a URL and a fixtures file', () => {
    expect(() => createCarrier({ url: 'http://127.0.0.1:9', fixturesPath: 'x.json', timeoutMs: 3000 })).toThrow(
      new CarrierConfigError('CARRIER_URL: set either CARRIER_URL or CARRIER_FIXTURES, not both'),
    );
  });
});
