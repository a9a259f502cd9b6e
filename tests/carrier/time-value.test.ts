import { describe, expect, it } from 'vitest';
import { parseTimeValue } from '../../src/carrier/time-value.js';

const now = new Date('2025-06-01T08:00:00Z');
const HOUR = 3_600_000;

describe('parseTimeValue', () => {
  it.each([
    ['PT3H', 3 * HOUR],
    ['-P2D', -48 * HOUR],
    ['+PT30M', 0.5 * HOUR],
    ['P1W', 7 * 24 * HOUR],
    ['P1DT2H', 26 * HOUR],
    ['-PT90S', -90_000],
    ['PT1.5H', 1.5 * HOUR],
    ['PT0,5H', 0.5 * HOUR],
    ['-PT0S', 0],
  ])('reads the duration %s relative to load time', (text, offset) => {
    expect(parseTimeValue(text, now)?.getTime()).toBe(now.getTime() + offset);
  });

  it('moves the calendar for years and months', () => {
    expect(parseTimeValue('P1M', new Date('2025-01-15T00:00:00Z'))?.toISOString()).toBe('2025-02-15T00:00:00.000Z');
    expect(parseTimeValue('-P1Y2M', now)?.toISOString()).toBe('2024-04-01T08:00:00.000Z');
  });

  it.each([
    ['2025-06-01T09:00:00+08:00', '2025-06-01T01:00:00.000Z'],
    ['2025-06-01T09:00:00Z', '2025-06-01T09:00:00.000Z'],
    ['2025-06-01T09:00Z', '2025-06-01T09:00:00.000Z'],
    ['2025-06-01T09:00:00.250-0100', '2025-06-01T10:00:00.250Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads the date-time %s', (text, iso) => {
    expect(parseTimeValue(text, now)?.toISOString()).toBe(iso);
  });

  it.each([
    'P',
    'PT',
    'P1H',
    'PT3',
    '3H',
    'P-1D',
    '2025-06-01',
    '2025-06-01T09:00:00',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-06-01T24:00:00Z',
    'tomorrow',
    '',
  ])('rejects %j', (text) => {
    expect(parseTimeValue(text, now)).toBeNull();
  });
});
