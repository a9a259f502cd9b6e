import type { Order } from './port.js';

export type OrderTiming = 'done' | 'overdue' | 'within_time';

/**
 * The seed's rule for install, move and repair complaints: past the promised time → chase the order now;
 * still within it → apologise and ask the customer to wait. The promised instant itself still counts as on time.
 */
export function orderTiming(order: Pick<Order, 'status' | 'promisedBy'>, now: Date = new Date()): OrderTiming {
  if (order.status === 'done') return 'done';
  return now.getTime() > order.promisedBy.getTime() ? 'overdue' : 'within_time';
}
