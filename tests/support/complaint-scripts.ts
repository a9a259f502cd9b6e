/**
 * Whole complaints tests replay when they need a conversation to have happened (not to test the flow
 * itself, which tests/conversation does row by row). Demo back office: src/carrier/demo-fixtures.json.
 */
import type { Row } from './scenario.js';

/** ad88000001 is in an area with an outage: explained, no ticket. */
export const OUTAGE_EXPLAINED: Row[] = [
  ['家里宽带上不了网了', { slot: 'account' }],
  ['ad88000001', { slot: 'confirm' }],
  ['是的', { slot: null }],
];

/** ad88000006 is a healthy 300 Mbps line: every self-check fails and a network ticket is opened. */
export const SLOW_LINE_TICKET: Row[] = [
  ['网速太慢了', { slot: 'account' }],
  ['ad88000006', { slot: 'confirm' }],
  ['是的', { slot: 'error_code' }],
  ['没有', { slot: 'choice' }],
  ['指示灯都正常', { slot: 'resolved' }],
  ['还是不行', { slot: 'resolved' }],
  ['还是不行', { slot: 'speed_mbps' }],
  ['测了一下才15兆', { slot: 'satisfaction' }],
];
