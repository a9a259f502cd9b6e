/** Satisfaction answers and self-check results, from the complaints that ended in the period. */
import type { Db } from 'mongodb';
import { categoryOfIntent, FigureGrid } from './figures.js';
import { dayOfField } from './period.js';

export interface SelfCheckFigures {
  /** The flow (dialogs/*.yaml id) the step belongs to. */
  flow: string;
  /** The step as recorded: its Chinese evidence line (e.g. 重启光猫和路由器). */
  step: string;
  /** Times a customer answered whether the step solved the problem. */
  attempts: number;
  solved: number;
  rate: number;
}

/** Counts an answer on the day its complaint ended, under the complaint's category. */
export async function addSatisfaction(db: Db, grid: FigureGrid, period: { $gte: Date; $lt: Date }): Promise<void> {
  const answers = await db
    .collection('conversation_outcomes')
    .aggregate<{ _id: { day: string; intent: string; answer: string }; n: number }>([
      { $match: { endedAt: period, satisfaction: { $type: 'string' } } },
      { $group: { _id: { day: dayOfField('endedAt'), intent: '$intent', answer: '$satisfaction' }, n: { $sum: 1 } } },
    ])
    .toArray();
  for (const a of answers) grid.addAnswer(a._id.day, categoryOfIntent(a._id.intent), a._id.answer, a.n);
}

/**
 * Every step that asked "did this solve it?" (confirm_resolved), with how often the answer was yes.
 * `outcomes` are the labels such a step records (dialogs/common/replies.yaml resolvedOutcomes).
 */
export async function selfCheckFigures(db: Db, period: { $gte: Date; $lt: Date }, outcomes: { yes: string; no: string }): Promise<SelfCheckFigures[]> {
  const steps = await db
    .collection('conversation_outcomes')
    .aggregate<{ _id: { flow: string; step: string }; attempts: number; solved: number }>([
      { $match: { endedAt: period } },
      { $project: { flow: 1, tried: 1 } },
      { $unwind: '$tried' },
      { $match: { 'tried.outcome': { $in: [outcomes.yes, outcomes.no] } } },
      {
        $group: {
          _id: { flow: '$flow', step: '$tried.step' },
          attempts: { $sum: 1 },
          solved: { $sum: { $cond: [{ $eq: ['$tried.outcome', outcomes.yes] }, 1, 0] } },
        },
      },
    ])
    .toArray();
  return steps
    .map((s) => ({ flow: s._id.flow, step: s._id.step, attempts: s.attempts, solved: s.solved, rate: s.solved / s.attempts }))
    .sort((a, b) => a.flow.localeCompare(b.flow) || b.attempts - a.attempts || a.step.localeCompare(b.step));
}
