import type { NeuralSettings, TrainingLog } from './intent-model.js';

const TOTAL = 1000;
// nlp.js's defaults for the stopping rule (@nlpjs/neural).
const DEFAULT_ITERATIONS = 20_000;
const DEFAULT_DELTA_ERROR_THRESHOLD = 0.000001;

/**
 * nlp.js trains until the change in error between two passes falls below a threshold, not for a fixed
 * number of passes, and that change shrinks about geometrically. Progress is therefore how far, on a log
 * scale, the change has come from its first value towards the threshold (or the pass count towards the
 * cap, if that is further), never going backwards.
 */
export function trainingProgress(
  neural: NeuralSettings,
  onProgress: (done: number, total: number) => void,
): { log: TrainingLog; finish: () => void } {
  const maxIterations = neural.iterations ?? DEFAULT_ITERATIONS;
  const threshold = neural.deltaErrorThresh ?? DEFAULT_DELTA_ERROR_THRESHOLD;
  let first: number | undefined;
  let done = 0;
  const report = (value: number): void => {
    const next = Math.min(TOTAL, Math.max(done, Math.round(value * TOTAL)));
    if (next !== done) {
      done = next;
      onProgress(done, TOTAL);
    }
  };
  onProgress(0, TOTAL);
  return {
    log: ({ iterations, deltaError }) => {
      let share = iterations / maxIterations;
      if (Number.isFinite(deltaError) && deltaError > 0) {
        first ??= deltaError;
        if (first > threshold) share = Math.max(share, Math.log(first / deltaError) / Math.log(first / threshold));
      }
      // The last step belongs to saving the model, reported by finish().
      report(Math.min(share, 0.99));
    },
    finish: () => report(1),
  };
}
