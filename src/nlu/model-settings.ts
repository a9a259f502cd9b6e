import type { ModelSettings } from './intent-model.js';
import type { NoneRule } from './none-rule.js';

/**
 * The settings `npm run train` uses, each chosen by stratified 5-fold cross-validation on the corpus
 * (`npm run evaluate`; the measurements are in the README). Changing any of them changes the corpus
 * hash, so the next start-up retrains.
 */
export const MODEL_SETTINGS: ModelSettings = {
  features: {
    hmm: true,
    dropFillers: true,
    charNgrams: [1, 2],
    weighting: 'idf-l2',
    ngramWeight: 1,
  },
  useNoneFeature: false,
  neural: { learningRate: 0.15 },
};

/** When a classification is not trusted and the message is answered as `none`. */
export const NONE_RULE: NoneRule = { minScore: 0, maxUnknownShare: 1, minNoneScore: 0.5 };

/** Only the start of a message is analysed: enough for any real complaint, and a 100 KB paste stays fast. */
export const MAX_ANALYSED_CHARS = 2000;

/** Bump when the feature code changes meaning, so saved models made by older code are retrained. */
export const FEATURE_CODE_VERSION = 1;
