import { containerBootstrap, Nlp } from '@nlpjs/basic';
import { LangZh } from '@nlpjs/lang-zh';
import type { Example } from '../corpus.js';
import { analyseIntent, type IntentAnalysis } from '../intent-analysis.js';
import { trainNlp, type ModelSettings } from '../intent-model.js';
import { MAX_ANALYSED_CHARS } from '../model-settings.js';
import { decide, type NoneRule } from '../none-rule.js';
import { capText } from '../recognizer.js';
import type { TextNormalizer } from '../text-normalizer.js';
import { trainCharLogReg, trainJiebaSvm } from './baselines.js';

/** One system's answer for a message; the product's also carries what its `none` rule looked at. */
export interface Answer {
  intent: string;
  analysis?: IntentAnalysis;
}

export type Predictor = (text: string) => Promise<Answer>;

/** Something the evaluation trains on a set of examples and then asks about messages. */
export interface System {
  readonly name: string;
  train(examples: readonly Example[]): Promise<Predictor>;
}

/** The product: jieba-tokenised nlp.js model plus the `none` rule, exactly as the recognizer runs it. */
export function productSystem(normalizer: TextNormalizer, settings: ModelSettings, noneRule: NoneRule): System {
  return {
    name: 'product (jieba + nlp.js + none rule)',
    async train(examples) {
      const { nlp, idf } = await trainNlp(examples, normalizer, settings);
      const model = { nlp, normalizer, settings, known: idf };
      return async (text) => {
        const analysis = await analyseIntent(model, capText(text, MAX_ANALYSED_CHARS));
        return { intent: decide(analysis.classifications, analysis.unknownShare, noneRule).intent, analysis };
      };
    },
  };
}

/** nlp.js as it comes: @nlpjs/lang-zh's tokenizer and stemmer, default settings and its 0.5 None threshold. */
export function stockSystem(): System {
  return {
    name: 'stock nlp.js (@nlpjs/lang-zh)',
    async train(examples) {
      const container = await containerBootstrap();
      container.register('logger', { debug() {}, info() {}, warn() {}, error() {}, log() {}, trace() {}, fatal() {} });
      container.use(LangZh);
      const nlp = new Nlp({ container, languages: ['zh'], autoSave: false, autoLoad: false, nlu: { log: false } });
      for (const e of examples) nlp.addDocument('zh', e.text, e.intent);
      await nlp.train();
      return async (text) => {
        const result = await nlp.process('zh', text);
        return { intent: result.intent === 'None' || !result.intent ? 'none' : result.intent };
      };
    },
  };
}

/** The two classical baselines an independent check trains on the same corpus. */
export function baselineSystems(): System[] {
  return [trainJiebaSvm, trainCharLogReg].map((trainer) => {
    const name = trainer === trainJiebaSvm ? 'baseline: jieba + TF-IDF + linear SVM' : 'baseline: char 1-3-grams + logistic regression';
    return {
      name,
      async train(examples) {
        const model = trainer(examples);
        return async (text) => ({ intent: model.predict(text) });
      },
    };
  });
}
