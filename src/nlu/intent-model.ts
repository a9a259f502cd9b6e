import { containerBootstrap, Nlp } from '@nlpjs/basic';
import type { Example } from './corpus.js';
import { featuresOf, inverseDocumentFrequency, wordsOf, type FeatureSettings } from './features.js';
import { registerChinesePipeline } from './nlpjs-plugins.js';
import type { TextNormalizer } from './text-normalizer.js';

/** nlp.js NeuralNetwork training knobs (see @nlpjs/neural); unset ones keep nlp.js's defaults. */
export interface NeuralSettings {
  iterations?: number;
  errorThresh?: number;
  deltaErrorThresh?: number;
  learningRate?: number;
  momentum?: number;
  alpha?: number;
}

export interface ModelSettings {
  features: FeatureSettings;
  /** nlp.js's own "None" output, fed by the share of unknown tokens; our corpus has a real `none` intent. */
  useNoneFeature: boolean;
  neural: NeuralSettings;
}

export interface Classification {
  intent: string;
  score: number;
}

/** A trained model with the feature statistics its input weighting needs. */
export interface TrainedNlp {
  nlp: Nlp;
  idf: ReadonlyMap<string, number>;
}

export type TrainingLog = (status: { iterations: number; error: number; deltaError: number }) => void;

const LOCALE = 'zh';

/** Trains the jieba-tokenised nlp.js model on the examples. */
export async function trainNlp(
  examples: readonly Example[],
  normalizer: TextNormalizer,
  settings: ModelSettings,
  log?: TrainingLog,
): Promise<TrainedNlp> {
  const idf = idfOf(examples, normalizer, settings.features);
  const nlp = await newNlp(normalizer, settings, idf, log);
  for (const { text, intent } of examples) nlp.addDocument(LOCALE, text, intent);
  await nlp.train();
  return { nlp, idf };
}

/** Rebuilds a model from nlp.js's export; the Chinese pipeline is registered first, as the export holds features. */
export async function importNlp(
  exported: string,
  normalizer: TextNormalizer,
  settings: ModelSettings,
  idf: ReadonlyMap<string, number>,
): Promise<Nlp> {
  const nlp = await newNlp(normalizer, settings, idf);
  nlp.import(exported);
  return nlp;
}

/** nlp.js's classifications for an utterance, best first, scores summing to 1. */
export async function classifyNlp(nlp: Nlp, text: string): Promise<Classification[]> {
  const result = await nlp.classify(LOCALE, text);
  boundPrepareCache(nlp);
  return result.classifications;
}

const CACHE_LIMIT = 5_000;
const calls = new WeakMap<Nlp, number>();

interface NlpInternals {
  nluManager?: { domainManagers?: Record<string, { domains?: Record<string, { cache?: { results?: object } }> }> };
}

// nlp.js keeps every text it has prepared, per text, for an hour: in a server that sees only new
// messages that is a memory leak. Dropping it now and then costs one re-tokenisation of a repeated text.
function boundPrepareCache(nlp: Nlp): void {
  const n = (calls.get(nlp) ?? 0) + 1;
  calls.set(nlp, n % CACHE_LIMIT);
  if (n < CACHE_LIMIT) return;
  const domains = (nlp as unknown as NlpInternals).nluManager?.domainManagers?.[LOCALE]?.domains ?? {};
  for (const domain of Object.values(domains)) {
    if (domain.cache?.results) domain.cache.results = {};
  }
}

async function newNlp(
  normalizer: TextNormalizer,
  settings: ModelSettings,
  idf: ReadonlyMap<string, number>,
  log?: TrainingLog,
): Promise<Nlp> {
  const container = await containerBootstrap();
  // nlp.js logs with console.* (stdout for some levels); the classify CLI's stdout must stay pure JSON.
  container.register('logger', SILENT_LOGGER);
  registerChinesePipeline(container, normalizer, settings.features, idf);
  const nlp = new Nlp({
    container,
    autoSave: false,
    autoLoad: false,
    calculateSentiment: false,
    forceNER: false,
    nlu: { log: log ?? false, useNoneFeature: settings.useNoneFeature },
  });
  // The classifier's settings must be in place before the language is added: adding it builds the classifier.
  nlp.useNlu('NeuralNlu', LOCALE, 'default', { ...settings.neural });
  nlp.addLanguage(LOCALE);
  return nlp;
}

const SILENT_LOGGER = Object.fromEntries(
  ['debug', 'info', 'warn', 'error', 'log', 'trace', 'fatal'].map((level) => [level, () => undefined]),
);

function idfOf(examples: readonly Example[], normalizer: TextNormalizer, features: FeatureSettings): Map<string, number> {
  return inverseDocumentFrequency(
    examples.map((e) => {
      const text = normalizer.normalize(e.text);
      return featuresOf(text, wordsOf(text, features), features);
    }),
  );
}
