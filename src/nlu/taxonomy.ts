/**
 * The intent contract shared by every part of the product and every evaluation
 * (../shared/TAXONOMY.md). tests/nlu/taxonomy.test.ts checks this table against that file.
 */
export const INTENT_CATEGORIES = {
  'network.no_connection': 'network',
  'network.slow': 'network',
  'network.unstable': 'network',
  'business.site_unreachable': 'business',
  'business.video_game_lag': 'business',
  'service.install_delay': 'service',
  'service.repair_delay': 'service',
  'service.staff_attitude': 'service',
  'billing.dispute': 'billing',
  'ticket.status': 'utility',
  'handoff.request': 'utility',
  greeting: 'utility',
  goodbye: 'utility',
  none: 'other',
} as const;

export type Intent = keyof typeof INTENT_CATEGORIES;
export type Category = (typeof INTENT_CATEGORIES)[Intent];

export const INTENTS = Object.keys(INTENT_CATEGORIES) as Intent[];

export const ESCALATION_RISK = 'escalation_risk';

export function isIntent(value: string): value is Intent {
  return Object.hasOwn(INTENT_CATEGORIES, value);
}

export function categoryOf(intent: Intent): Category {
  return INTENT_CATEGORIES[intent];
}
