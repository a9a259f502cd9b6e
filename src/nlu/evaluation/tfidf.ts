/** A sparse row: feature indices (ascending) and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/**
 * TF-IDF as scikit-learn's TfidfVectorizer computes it by default (raw counts, smooth idf
 * ln((1+n)/(1+df))+1, rows scaled to unit length), so the baselines match what an independent
 * check with that library would train.
 */
export class TfidfVectorizer {
  private vocabulary = new Map<string, number>();
  private idf = new Float64Array(0);

  get size(): number {
    return this.vocabulary.size;
  }

  fit(documents: readonly (readonly string[])[]): this {
    const df = new Map<string, number>();
    for (const doc of documents) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
    const terms = [...df.keys()].sort();
    this.vocabulary = new Map(terms.map((t, i) => [t, i]));
    this.idf = Float64Array.from(terms, (t) => Math.log((1 + documents.length) / (1 + df.get(t)!)) + 1);
    return this;
  }

  transform(document: readonly string[]): SparseVector {
    const counts = new Map<number, number>();
    for (const term of document) {
      const i = this.vocabulary.get(term);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = Float64Array.from(indices, (i) => counts.get(i)! * this.idf[i]!);
    const norm = Math.hypot(...values);
    if (norm > 0) for (let k = 0; k < values.length; k++) values[k]! /= norm;
    return { indices, values };
  }
}
