import { categoryOf, INTENTS, isIntent } from '../taxonomy.js';

export interface Prediction {
  gold: string;
  predicted: string;
}

export interface IntentScores {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  count: number;
  accuracy: number;
  macroF1: number;
  categoryAccuracy: number;
  /** Share of gold `none` messages answered `none`. */
  noneRecall: number;
  /** Share of in-scope messages wrongly answered `none`. */
  inScopeRejected: number;
  perIntent: IntentScores[];
  /** confusion[gold][predicted] = count, over `labels`. */
  confusion: number[][];
  labels: string[];
}

/** The figures `npm run evaluate` reports for one system on one data set. */
export function computeMetrics(predictions: readonly Prediction[]): Metrics {
  const labels = [...INTENTS] as string[];
  for (const p of predictions) {
    for (const l of [p.gold, p.predicted]) if (!labels.includes(l)) labels.push(l);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  for (const p of predictions) confusion[index.get(p.gold)!]![index.get(p.predicted)!]! += 1;

  const perIntent = labels
    .map((intent, i) => {
      const tp = confusion[i]![i]!;
      const support = confusion[i]!.reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
      const precision = ratio(tp, predicted);
      const recall = ratio(tp, support);
      const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      return { intent, precision, recall, f1, support };
    })
    .filter((s) => s.support > 0);

  const correct = predictions.filter((p) => p.gold === p.predicted).length;
  const sameCategory = predictions.filter((p) => categoryOfLabel(p.gold) === categoryOfLabel(p.predicted)).length;
  const none = predictions.filter((p) => p.gold === 'none');
  const inScope = predictions.filter((p) => p.gold !== 'none');
  return {
    count: predictions.length,
    accuracy: ratio(correct, predictions.length),
    macroF1: ratio(
      perIntent.reduce((a, s) => a + s.f1, 0),
      perIntent.length,
    ),
    categoryAccuracy: ratio(sameCategory, predictions.length),
    noneRecall: ratio(none.filter((p) => p.predicted === 'none').length, none.length),
    inScopeRejected: ratio(inScope.filter((p) => p.predicted === 'none').length, inScope.length),
    perIntent,
    confusion,
    labels,
  };
}

export interface FlagScores {
  precision: number;
  recall: number;
  truePositives: number;
  predictedPositives: number;
  actualPositives: number;
}

/** Precision and recall of a boolean flag. */
export function flagScores(pairs: readonly { gold: boolean; predicted: boolean }[]): FlagScores {
  const truePositives = pairs.filter((p) => p.gold && p.predicted).length;
  const predictedPositives = pairs.filter((p) => p.predicted).length;
  const actualPositives = pairs.filter((p) => p.gold).length;
  return {
    precision: ratio(truePositives, predictedPositives),
    recall: ratio(truePositives, actualPositives),
    truePositives,
    predictedPositives,
    actualPositives,
  };
}

function categoryOfLabel(label: string): string {
  return isIntent(label) ? categoryOf(label) : label;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
