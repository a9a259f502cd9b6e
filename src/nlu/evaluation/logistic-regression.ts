import { minimizeLbfgs } from './lbfgs.js';
import type { SparseVector } from './tfidf.js';

/**
 * Multinomial logistic regression with L2 regularisation (C = 1, intercepts not penalised), minimised
 * with L-BFGS: the objective and solver of scikit-learn's LogisticRegression defaults.
 */
export class LogisticRegression {
  private weights: Float64Array = new Float64Array(0);
  private classes: string[] = [];
  private dimension = 0;

  constructor(private readonly options: { C?: number; maxIterations?: number } = {}) {}

  train(rows: readonly SparseVector[], labels: readonly string[], dimension: number): this {
    const C = this.options.C ?? 1;
    this.classes = [...new Set(labels)].sort();
    this.dimension = dimension;
    const K = this.classes.length;
    const stride = dimension + 1; // per class: the weights, then the intercept
    const y = labels.map((l) => this.classes.indexOf(l));
    const p = new Float64Array(K);
    const objective = (x: Float64Array, gradient: Float64Array): number => {
      let loss = 0;
      for (let j = 0; j < x.length; j++) {
        const isIntercept = (j + 1) % stride === 0;
        gradient[j] = isIntercept ? 0 : x[j]!;
        if (!isIntercept) loss += 0.5 * x[j]! * x[j]!;
      }
      rows.forEach((row, i) => {
        let max = -Infinity;
        for (let c = 0; c < K; c++) {
          p[c] = score(x, c * stride, row, dimension);
          max = Math.max(max, p[c]!);
        }
        let sum = 0;
        for (let c = 0; c < K; c++) sum += p[c] = Math.exp(p[c]! - max);
        loss -= C * Math.log(p[y[i]!]! / sum);
        for (let c = 0; c < K; c++) {
          const d = C * (p[c]! / sum - (c === y[i] ? 1 : 0));
          const base = c * stride;
          for (let k = 0; k < row.indices.length; k++) gradient[base + row.indices[k]!]! += d * row.values[k]!;
          gradient[base + dimension]! += d;
        }
      });
      return loss;
    };
    this.weights = minimizeLbfgs(objective, new Float64Array(K * stride), {
      maxIterations: this.options.maxIterations ?? 200,
    });
    return this;
  }

  predict(row: SparseVector): string {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < this.classes.length; c++) {
      const s = score(this.weights, c * (this.dimension + 1), row, this.dimension);
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    return this.classes[best]!;
  }
}

function score(w: Float64Array, base: number, row: SparseVector, dimension: number): number {
  let s = w[base + dimension]!;
  for (let k = 0; k < row.indices.length; k++) s += w[base + row.indices[k]!]! * row.values[k]!;
  return s;
}
