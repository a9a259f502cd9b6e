import type { SparseVector } from './tfidf.js';
import { mulberry32 } from './folds.js';

/**
 * One-vs-rest linear SVM with squared hinge loss and L2 regularisation, trained by dual coordinate
 * descent (Hsieh et al., ICML 2008) — the algorithm and defaults (C = 1, bias feature 1, tol 0.1 on the
 * projected gradient, at most 1000 passes) of LIBLINEAR, which scikit-learn's LinearSVC wraps.
 */
export class LinearSvm {
  private weights: Float64Array[] = [];
  private classes: string[] = [];

  constructor(private readonly options: { C?: number; maxPasses?: number; tolerance?: number } = {}) {}

  train(rows: readonly SparseVector[], labels: readonly string[], dimension: number): this {
    this.classes = [...new Set(labels)].sort();
    this.weights = this.classes.map((c) => this.trainBinary(rows, labels.map((l) => (l === c ? 1 : -1)), dimension));
    return this;
  }

  predict(row: SparseVector): string {
    let best = 0;
    let bestScore = -Infinity;
    this.weights.forEach((w, c) => {
      const s = dot(w, row) + w[w.length - 1]!;
      if (s > bestScore) [best, bestScore] = [c, s];
    });
    return this.classes[best]!;
  }

  private trainBinary(rows: readonly SparseVector[], y: readonly number[], dimension: number): Float64Array {
    const C = this.options.C ?? 1;
    const maxPasses = this.options.maxPasses ?? 1000;
    const tolerance = this.options.tolerance ?? 0.1;
    // Squared hinge: no upper bound on alpha, and a diagonal term 1/(2C) in the dual.
    const diag = 0.5 / C;
    const w = new Float64Array(dimension + 1); // last entry: the bias, a feature of constant value 1
    const alpha = new Float64Array(rows.length);
    const qd = rows.map((r) => r.values.reduce((s, v) => s + v * v, 0) + 1 + diag);
    const order = rows.map((_, i) => i);
    const random = mulberry32(7);
    for (let pass = 0; pass < maxPasses; pass++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let maxViolation = -Infinity;
      let minViolation = Infinity;
      for (const i of order) {
        const row = rows[i]!;
        const yi = y[i]!;
        const g = yi * (dot(w, row) + w[dimension]!) - 1 + diag * alpha[i]!;
        const projected = alpha[i] === 0 ? Math.min(g, 0) : g;
        maxViolation = Math.max(maxViolation, projected);
        minViolation = Math.min(minViolation, projected);
        if (projected === 0) continue;
        const old = alpha[i]!;
        alpha[i] = Math.max(old - g / qd[i]!, 0);
        const step = (alpha[i]! - old) * yi;
        for (let k = 0; k < row.indices.length; k++) w[row.indices[k]!]! += step * row.values[k]!;
        w[dimension]! += step;
      }
      if (maxViolation - minViolation <= tolerance) break;
    }
    return w;
  }
}

function dot(w: Float64Array, row: SparseVector): number {
  let s = 0;
  for (let k = 0; k < row.indices.length; k++) s += w[row.indices[k]!]! * row.values[k]!;
  return s;
}
