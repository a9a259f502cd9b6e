import { PRIORITIES, type Priority } from './types.js';

const rank = (p: Priority): number => PRIORITIES.indexOf(p);

export function highestPriority(...candidates: Array<Priority | undefined>): Priority {
  return candidates.reduce<Priority>((best, p) => (p !== undefined && rank(p) > rank(best) ? p : best), 'normal');
}

/** One level up, saturating at urgent: a customer who has to complain again waits less. */
export function raisePriority(p: Priority): Priority {
  return PRIORITIES[Math.min(rank(p) + 1, PRIORITIES.length - 1)] as Priority;
}

export interface PriorityFactors {
  requested?: Priority;
  /** The customer threatens to go to the regulator, the media or court. */
  escalationRisk: boolean;
  /** The department's floor, e.g. overdue install/repair reminders are at least high. */
  minPriority: Priority;
}

export function initialPriority(f: PriorityFactors): Priority {
  return highestPriority(f.requested, f.escalationRisk ? 'high' : undefined, f.minPriority);
}

export function repeatPriority(current: Priority, f: PriorityFactors): Priority {
  return highestPriority(raisePriority(current), initialPriority(f));
}
