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
  ])('rejects %s=%s with a line naming the variable', (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(expected);
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
});
