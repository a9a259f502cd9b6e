import { describe, expect, it } from 'vitest';
import { orderTiming } from '../../src/carrier/order-timing.js';

const promisedBy = new Date('2025-06-01T12:00:00Z');

describe('orderTiming', () => {
  it('is within time before the promised moment and at it', () => {
    expect(orderTiming({ status: 'open', promisedBy }, new Date('2025-06-01T11:59:59Z'))).toBe('within_time');
    expect(orderTiming({ status: 'open', promisedBy }, new Date(promisedBy))).toBe('within_time');
  });

  it('is overdue once the promised moment has passed', () => {
    expect(orderTiming({ status: 'open', promisedBy }, new Date('2025-06-01T12:00:01Z'))).toBe('overdue');
  });

  it('is done for a finished order whatever the clock says', () => {
    expect(orderTiming({ status: 'done', promisedBy }, new Date('2025-07-01T00:00:00Z'))).toBe('done');
  });

  it('uses the current time by default', () => {
    expect(orderTiming({ status: 'open', promisedBy: new Date(Date.now() - 1000) })).toBe('overdue');
    expect(orderTiming({ status: 'open', promisedBy: new Date(Date.now() + 60_000) })).toBe('within_time');
  });
});
