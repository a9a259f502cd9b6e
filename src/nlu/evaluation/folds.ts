/**
 * Stratified k-fold assignment: every intent is spread evenly over the folds, so a fold never lacks
 * a small intent. Deterministic for a seed, so two runs (and two pipelines) see the same splits.
 */
export function stratifiedFolds<T>(items: readonly T[], labelOf: (item: T) => string, k: number, seed = 20240601): number[] {
  const random = mulberry32(seed);
  const byLabel = new Map<string, number[]>();
  items.forEach((item, i) => {
    const label = labelOf(item);
    const list = byLabel.get(label) ?? [];
    list.push(i);
    byLabel.set(label, list);
  });
  const fold = new Array<number>(items.length).fill(0);
  // Continue the round-robin across labels, so the remainders of small classes do not all land in fold 0.
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const indices = byLabel.get(label)!;
    shuffle(indices, random);
    for (const i of indices) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

function shuffle<T>(array: T[], random: () => number): void {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j]!, array[i]!];
  }
}

/** A small seeded PRNG: the folds must not depend on Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
