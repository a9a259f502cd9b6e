import { cutWords } from './jieba.js';

/** How an utterance becomes classifier features; stored with the model so parsing matches training. */
export interface FeatureSettings {
  /** jieba's HMM for words its dictionary lacks. */
  hmm: boolean;
  /** Drop sentence-final particles and similar fillers. */
  dropFillers: boolean;
  /** Character n-gram sizes taken inside runs of Chinese characters ([] for none). */
  charNgrams: readonly number[];
  /**
   * Value of each feature in the classifier's input: 1 each (nlp.js's default), or 1/sqrt(count) so a
   * long rant and a three-word message put the same total weight on the perceptrons.
   */
  weighting: 'binary' | 'l2' | 'idf-l2';
  /** Weight of character n-gram features relative to words (n-grams are many and individually weak). */
  ngramWeight: number;
}

// Latin letters and digits are cut out before jieba sees the text: jieba splits "20mbps" into
// "20"/"mbps" and a phone number into three pieces, and those codes and figures carry the meaning.
const ASCII_RUN = /[a-z0-9]+(?:[._\-/:][a-z0-9]+)*/g;
const HAN_RUN = /\p{Script=Han}+/gu;
const EMOJI = /\p{Extended_Pictographic}/u;
const NOISE_ONLY = /^[\s\p{P}\p{S}\p{M}]+$/u;
// Sentence-final particles and fillers carry tone, not topic.
const FILLERS = new Set(['的', '了', '吗', '啊', '呢', '吧', '呀', '哦', '嘛', '啦', '哈', '么', '着', '得', '地', '哇', '呗', '嘞']);

/** Words of normalised text: jieba words, whole Latin/digit runs, emoji; no punctuation. */
export function wordsOf(text: string, settings: Pick<FeatureSettings, 'hmm' | 'dropFillers'>): string[] {
  const words: string[] = [];
  let last = 0;
  const pushCut = (part: string): void => {
    if (part.trim() === '') return;
    for (const w of cutWords(part, settings.hmm)) {
      if (NOISE_ONLY.test(w) && !EMOJI.test(w)) continue;
      if (settings.dropFillers && FILLERS.has(w)) continue;
      words.push(w);
    }
  };
  for (const m of text.matchAll(ASCII_RUN)) {
    pushCut(text.slice(last, m.index));
    words.push(m[0]);
    last = m.index + m[0].length;
  }
  pushCut(text.slice(last));
  return words;
}

/** The classifier's features for one normalised utterance and its words. */
export function featuresOf(text: string, words: readonly string[], settings: FeatureSettings): string[] {
  const features = [...words];
  if (settings.charNgrams.length > 0) {
    for (const run of text.match(HAN_RUN) ?? []) {
      for (const n of settings.charNgrams) {
        for (let i = 0; i + n <= run.length; i++) features.push(`~${run.slice(i, i + n)}`);
      }
    }
  }
  return features;
}

/** The classifier input for a feature list: each distinct feature with its value. */
export function weightFeatures(
  features: readonly string[],
  settings: Pick<FeatureSettings, 'weighting' | 'ngramWeight'>,
  idf?: ReadonlyMap<string, number>,
): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const f of features) {
    const base = f.startsWith('~') ? settings.ngramWeight : 1;
    // Features never seen in training get the largest idf; nlp.js ignores them anyway.
    weights[f] = settings.weighting === 'idf-l2' && idf ? base * (idf.get(f) ?? idf.get('')!) : base;
  }
  if (settings.weighting !== 'binary') {
    let sum = 0;
    for (const w of Object.values(weights)) sum += w * w;
    const norm = Math.sqrt(sum);
    if (norm > 0) for (const f of Object.keys(weights)) weights[f]! /= norm;
  }
  return weights;
}

/** Smoothed inverse document frequency of each feature over the training utterances ('' holds the unseen value). */
export function inverseDocumentFrequency(documents: readonly (readonly string[])[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const doc of documents) for (const f of new Set(doc)) df.set(f, (df.get(f) ?? 0) + 1);
  const n = documents.length;
  const idf = new Map([...df].map(([f, d]) => [f, Math.log((1 + n) / (1 + d)) + 1]));
  idf.set('', Math.log(1 + n) + 1);
  return idf;
}
