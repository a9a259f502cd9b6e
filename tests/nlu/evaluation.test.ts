import { describe, expect, it } from 'vitest';
import { stratifiedFolds } from '../../src/nlu/evaluation/folds.js';
import { LinearSvm } from '../../src/nlu/evaluation/linear-svm.js';
import { LogisticRegression } from '../../src/nlu/evaluation/logistic-regression.js';
import { computeMetrics, flagScores } from '../../src/nlu/evaluation/metrics.js';
import { sweepNoneRules } from '../../src/nlu/evaluation/none-sweep.js';
import { renderHtml } from '../../src/nlu/evaluation/report-html.js';
import { confusionTable } from '../../src/nlu/evaluation/report-text.js';
import { TfidfVectorizer } from '../../src/nlu/evaluation/tfidf.js';
import { decide } from '../../src/nlu/none-rule.js';

describe('stratified folds', () => {
  it('spreads every label evenly and is deterministic', () => {
    const labels = [...Array(23).fill('a'), ...Array(7).fill('b')] as string[];
    const folds = stratifiedFolds(labels, (l) => l, 5);
    expect(stratifiedFolds(labels, (l) => l, 5)).toEqual(folds);
    for (const label of ['a', 'b']) {
      const counts = [0, 1, 2, 3, 4].map((f) => labels.filter((l, i) => l === label && folds[i] === f).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });
});

describe('metrics', () => {
  const predictions = [
    { gold: 'greeting', predicted: 'greeting' },
    { gold: 'greeting', predicted: 'goodbye' },
    { gold: 'none', predicted: 'none' },
    { gold: 'none', predicted: 'network.slow' },
    { gold: 'network.slow', predicted: 'none' },
    { gold: 'network.slow', predicted: 'network.unstable' },
  ];
  const m = computeMetrics(predictions);

  it('computes accuracy, category accuracy and the none figures', () => {
    expect(m.accuracy).toBeCloseTo(2 / 6);
    // greeting→goodbye (utility) and slow→unstable (network) keep their category.
    expect(m.categoryAccuracy).toBeCloseTo(4 / 6);
    expect(m.noneRecall).toBeCloseTo(1 / 2);
    expect(m.inScopeRejected).toBeCloseTo(1 / 4);
    expect(m.perIntent.find((s) => s.intent === 'greeting')).toMatchObject({ precision: 1, recall: 0.5 });
  });

  it('renders the confusion matrix for a terminal and as HTML', () => {
    expect(confusionTable(m)).toMatch(/greeting/);
    const html = renderHtml({
      title: 't',
      generatedAt: 'now',
      summary: [{ system: 's<b>', data: 'cv', metrics: m }],
      details: [{ heading: 'h', metrics: m, errors: [{ text: '<script>', gold: 'none', answer: { intent: 'greeting' } }] }],
      flags: [{ name: 'risk', scores: flagScores([{ gold: true, predicted: true }]) }],
      notes: [],
    });
    expect(html).toContain('<table class="conf">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('s&lt;b&gt;');
  });

  it('scores a flag', () => {
    const s = flagScores([
      { gold: true, predicted: true },
      { gold: true, predicted: false },
      { gold: false, predicted: true },
    ]);
    expect(s).toMatchObject({ precision: 0.5, recall: 0.5 });
  });
});

describe('none rule', () => {
  it('answers none for no evidence, ties, low scores and unknown words', () => {
    const rule = { minScore: 0.5, maxUnknownShare: 0.6, minNoneScore: 0.5 };
    expect(decide([], 0, rule).intent).toBe('none');
    expect(decide([{ intent: 'greeting', score: 0 }], 0, rule).intent).toBe('none');
    expect(decide([{ intent: 'a', score: 0.5 }, { intent: 'b', score: 0.5 }], 0, rule).intent).toBe('none');
    expect(decide([{ intent: 'greeting', score: 0.4 }], 0, rule).intent).toBe('none');
    expect(decide([{ intent: 'greeting', score: 0.9 }], 0.8, rule).intent).toBe('none');
    expect(decide([{ intent: 'greeting', score: 0.9 }], 0.2, rule)).toEqual({ intent: 'greeting', score: 0.9 });
    expect(decide([{ intent: 'none', score: 0.6 }, { intent: 'greeting', score: 0.4 }], 0, rule).intent).toBe('none');
    expect(decide([{ intent: 'none', score: 0.45 }, { intent: 'greeting', score: 0.4 }], 0, rule).intent).toBe('greeting');
  });

  it('is chosen by a sweep within the rejection budget', () => {
    const scored = [
      { text: 'x', gold: 'none', answer: { intent: 'greeting', analysis: { classifications: [{ intent: 'greeting', score: 0.45 }], unknownShare: 0, wordCount: 1 } } },
      { text: 'y', gold: 'greeting', answer: { intent: 'greeting', analysis: { classifications: [{ intent: 'greeting', score: 0.9 }], unknownShare: 0, wordCount: 1 } } },
    ];
    const { best } = sweepNoneRules(scored, { minNoneRecall: 1, maxInScopeRejected: 0 });
    expect(best.accuracy).toBe(1);
    expect(best.rule.minScore).toBeGreaterThan(0.45);
  });
});

describe('classical baselines', () => {
  const docs = [['网速', '慢'], ['网速', '很', '慢'], ['掉线', '频繁'], ['老', '掉线'], ['你好'], ['您好', '你好']];
  const labels = ['slow', 'slow', 'unstable', 'unstable', 'greeting', 'greeting'];
  const vectorizer = new TfidfVectorizer().fit(docs);
  const rows = docs.map((d) => vectorizer.transform(d));

  it('TF-IDF rows have unit length and ignore unseen terms', () => {
    const row = vectorizer.transform(['网速', '从未见过']);
    expect(Math.hypot(...row.values)).toBeCloseTo(1);
    expect(row.indices).toHaveLength(1);
  });

  it.each([
    ['linear SVM', () => new LinearSvm().train(rows, labels, vectorizer.size)],
    ['logistic regression', () => new LogisticRegression().train(rows, labels, vectorizer.size)],
  ])('%s separates a toy problem', (_name, train) => {
    const model = train();
    expect(model.predict(vectorizer.transform(['慢']))).toBe('slow');
    expect(model.predict(vectorizer.transform(['掉线']))).toBe('unstable');
    expect(model.predict(vectorizer.transform(['你好']))).toBe('greeting');
  });
});
