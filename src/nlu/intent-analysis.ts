import type { Nlp } from '@nlpjs/basic';
import { wordsOf } from './features.js';
import { classifyNlp, type Classification, type ModelSettings } from './intent-model.js';
import type { TextNormalizer } from './text-normalizer.js';

/** A trained model with what it needs to read new text the way it read its training text. */
export interface IntentModel {
  nlp: Nlp;
  normalizer: TextNormalizer;
  settings: ModelSettings;
  /** Training features (their idf): a word outside it is unknown to the model. */
  known: ReadonlyMap<string, number>;
}

export interface IntentAnalysis {
  classifications: Classification[];
  /** Share of the message's words never seen in training (0 when it has no words). */
  unknownShare: number;
  wordCount: number;
}

/** nlp.js's classifications and the unknown-word share of one (already capped) message. */
export async function analyseIntent(model: IntentModel, text: string): Promise<IntentAnalysis> {
  const words = wordsOf(model.normalizer.normalize(text), model.settings.features);
  if (words.length === 0) return { classifications: [], unknownShare: 0, wordCount: 0 };
  const unknownShare = words.filter((w) => !model.known.has(w)).length / words.length;
  return { classifications: await classifyNlp(model.nlp, text), unknownShare, wordCount: words.length };
}
