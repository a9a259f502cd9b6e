import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runMain } from '../support/main-process.js';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      DATA_DIR: './data',
      MONGODB_DB: 'complaint_desk',
      LOG_LEVEL: 'info',
      AGENT_TOKENS: [],
      MicrosoftAppType: 'MultiTenant',
    });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });

  it('parses agent tokens into names and tokens', () => {
    const config = loadConfig({ AGENT_TOKENS: 'li:aaaaaaaaaaaaaaaa1, wang:bbbbbbbbbbbbbbbb2' });
    expect(config.AGENT_TOKENS).toEqual([
      { name: 'li', token: 'aaaaaaaaaaaaaaaa1' },
      { name: 'wang', token: 'bbbbbbbbbbbbbbbb2' },
    ]);
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer between 0 and 65535/],
    ['PORT', '70000', /PORT must be an integer between 0 and 65535/],
    ['MONGODB_URI', 'http://db', /MONGODB_URI must start with mongodb:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN must be at least 16 characters/],
    ['AGENT_TOKENS', 'li', /AGENT_TOKENS must be a comma-separated list of name:token pairs/],
    ['MicrosoftAppType', 'Other', /MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI/],
    ['CARRIER_URL', 'ftp://backoffice', /CARRIER_URL must be an http:\/\/ or https:\/\/ URL/],
    ['CARRIER_TIMEOUT_MS', '5', /CARRIER_TIMEOUT_MS must be a whole number of milliseconds between 100 and 60000/],
    ['TICKET_FIRST_RESPONSE_HOURS', 'soon', /TICKET_FIRST_RESPONSE_HOURS must be a number of hours between 1 and 720/],
  ])('rejects %s=%s with a line naming the variable', (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(expected);
  });

  it('rejects a resolution deadline shorter than the first-response deadline', () => {
    expect(() => loadConfig({ TICKET_FIRST_RESPONSE_HOURS: '24', TICKET_RESOLVE_HOURS: '12' })).toThrow(
      /TICKET_RESOLVE_HOURS must not be shorter than TICKET_FIRST_RESPONSE_HOURS/,
    );
  });

  it('does not echo secrets in the error', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'hunter2' })).toThrow(/^(?!.*hunter2)/s);
  });

  it('stops start-up with one clear line on a bad value', async () => {
    const result = await runMain({ PORT: 'not-a-port' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Configuration error: PORT must be an integer between 0 and 65535 (got "not-a-port")',
    ]);
  });

  it('stops start-up with one clear line when the back-office fixtures file is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixtures-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ accounts: [{ account: 'ad1', status: 'frozen' }] }));
    const result = await runMain({ CARRIER_FIXTURES: file, DATA_DIR: dir });
    await rm(dir, { recursive: true, force: true });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: CARRIER_FIXTURES: accounts\[0\]/);
  });
});
