import { cutWords } from '../jieba.js';
import type { Example } from '../corpus.js';
import { LinearSvm } from './linear-svm.js';
import { LogisticRegression } from './logistic-regression.js';
import { TfidfVectorizer } from './tfidf.js';

/** A classifier trained on the corpus; the evaluation only needs its top intent. */
export interface Baseline {
  readonly name: string;
  predict(text: string): string;
}

// What scikit-learn does before analysing text by default, plus NFKC so full-width input is not unfair to it.
const preprocess = (text: string): string => text.normalize('NFKC').toLowerCase();

/** Words as jieba cuts them (HMM on, the product's user dictionary), punctuation kept, as a plain tokenizer would. */
const jiebaTerms = (text: string): string[] => cutWords(preprocess(text)).filter((w) => w.trim() !== '');

/** Character 1-, 2- and 3-grams over the whole text, white space collapsed (scikit-learn's analyzer="char"). */
function charTerms(text: string): string[] {
  const chars = [...preprocess(text).replace(/\s+/g, ' ')];
  const terms: string[] = [];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) terms.push(chars.slice(i, i + n).join(''));
  return terms;
}

/** (a) jieba words + TF-IDF + linear SVM (LinearSVC defaults). */
export function trainJiebaSvm(examples: readonly Example[]): Baseline {
  return trainLinear('jieba + TF-IDF + linear SVM', examples, jiebaTerms, (rows, labels, dim) =>
    new LinearSvm().train(rows, labels, dim),
  );
}

/** (b) character 1–3-grams + TF-IDF + logistic regression (LogisticRegression defaults). */
export function trainCharLogReg(examples: readonly Example[]): Baseline {
  return trainLinear('char 1-3-grams + logistic regression', examples, charTerms, (rows, labels, dim) =>
    new LogisticRegression().train(rows, labels, dim),
  );
}

function trainLinear(
  name: string,
  examples: readonly Example[],
  analyse: (text: string) => string[],
  fit: (
    rows: ReturnType<TfidfVectorizer['transform']>[],
    labels: string[],
    dimension: number,
  ) => { predict(row: ReturnType<TfidfVectorizer['transform']>): string },
): Baseline {
  const docs = examples.map((e) => analyse(e.text));
  const vectorizer = new TfidfVectorizer().fit(docs);
  const model = fit(docs.map((d) => vectorizer.transform(d)), examples.map((e) => e.intent), vectorizer.size);
  return { name, predict: (text) => model.predict(vectorizer.transform(analyse(text))) };
}
