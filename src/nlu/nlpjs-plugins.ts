import type { NlpContainer } from '@nlpjs/basic';
import { featuresOf, weightFeatures, wordsOf, type FeatureSettings } from './features.js';
import type { TextNormalizer } from './text-normalizer.js';

/**
 * Replaces nlp.js's Chinese normaliser, tokenizer and stemmer. Replacing only the tokenizer is not
 * enough: the stock stemmer re-segments the raw text and maps it to pinyin, collapsing homophones.
 * Must be registered before a saved model is imported, since the model stores features, not text.
 */
export function registerChinesePipeline(
  container: NlpContainer,
  normalizer: TextNormalizer,
  settings: FeatureSettings,
  idf?: ReadonlyMap<string, number>,
): void {
  container.use({ name: 'normalizer-zh', normalize: (text: string) => normalizer.normalize(text) });
  container.use({ name: 'tokenizer-zh', tokenize: (text: string) => wordsOf(text, settings) });
  // nlp.js hands the stemmer the normalised text as well; character n-grams need its punctuation
  // boundaries, which the word list no longer has.
  container.use({
    name: 'stemmer-zh',
    stem: (words: string[], input?: { text?: string }) => featuresOf(input?.text ?? words.join(''), words, settings),
  });
  // nlp.js turns the feature list into the perceptrons' input here; replacing it sets feature values.
  container.use({
    name: 'arrToObj',
    run: (input: string[] | { tokens: string[] | Record<string, number> }) => {
      if (Array.isArray(input)) return weightFeatures(input, settings, idf);
      if (Array.isArray(input.tokens)) input.tokens = weightFeatures(input.tokens, settings, idf);
      return input;
    },
  });
}
