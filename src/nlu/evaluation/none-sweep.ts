import { decide, type NoneRule } from '../none-rule.js';
import type { Scored } from './run.js';

export interface SweepRow {
  rule: NoneRule;
  accuracy: number;
  noneRecall: number;
  inScopeRejected: number;
}

const MIN_SCORES = [0, 0.3, 0.4, 0.5, 0.6];
const MAX_UNKNOWN = [1, 0.8, 0.6, 0.4];
const MIN_NONE_SCORES = [0, 0.4, 0.5, 0.6, 0.7];

/** What the rule must keep on cross-validation: the product targets, with a margin on none recall. */
export interface SweepLimits {
  minNoneRecall: number;
  maxInScopeRejected: number;
}

/**
 * Re-decides the product's cross-validated answers under each candidate `none` rule, so the rule is
 * chosen on the corpus (never on the held-out file): best accuracy among the rules within the limits.
 */
export function sweepNoneRules(scored: readonly Scored[], limits: SweepLimits): { rows: SweepRow[]; best: SweepRow } {
  const rows: SweepRow[] = [];
  for (const minScore of MIN_SCORES) {
    for (const maxUnknownShare of MAX_UNKNOWN) {
     for (const minNoneScore of MIN_NONE_SCORES) {
      const rule = { minScore, maxUnknownShare, minNoneScore };
      let correct = 0;
      let none = 0;
      let noneHit = 0;
      let inScope = 0;
      let rejected = 0;
      for (const s of scored) {
        const a = s.answer.analysis;
        const intent = a ? decide(a.classifications, a.unknownShare, rule).intent : s.answer.intent;
        if (intent === s.gold) correct++;
        if (s.gold === 'none') {
          none++;
          if (intent === 'none') noneHit++;
        } else {
          inScope++;
          if (intent === 'none') rejected++;
        }
      }
      rows.push({
        rule,
        accuracy: correct / scored.length,
        noneRecall: none ? noneHit / none : 0,
        inScopeRejected: inScope ? rejected / inScope : 0,
      });
     }
    }
  }
  const eligible = rows.filter((r) => r.inScopeRejected <= limits.maxInScopeRejected && r.noneRecall >= limits.minNoneRecall);
  const best = (eligible.length > 0 ? eligible : rows).reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  return { rows, best };
}
