// npm run evaluate — stratified k-fold cross-validation on the corpus and scores on the held-out file,
// for the product, stock nlp.js and the two classical baselines, with confusion matrices (terminal + HTML).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusFiles, loadExamples, loadTypos } from '../nlu/corpus.js';
import { EscalationRiskDetector, loadEscalationRiskData } from '../nlu/escalation-risk.js';
import { stratifiedFolds } from '../nlu/evaluation/folds.js';
import { loadHeldOut, loadRiskSet } from '../nlu/evaluation/heldout.js';
import { computeMetrics, flagScores, type Metrics } from '../nlu/evaluation/metrics.js';
import { sweepNoneRules } from '../nlu/evaluation/none-sweep.js';
import { renderHtml, type HtmlReport } from '../nlu/evaluation/report-html.js';
import { confusionTable, flagLine, perIntentTable, summaryTable, table, type SummaryRow } from '../nlu/evaluation/report-text.js';
import { crossValidate, scoreHeldOut, type Scored } from '../nlu/evaluation/run.js';
import { baselineSystems, productSystem, stockSystem, type System } from '../nlu/evaluation/systems.js';
import { loadJieba } from '../nlu/jieba.js';
import { MODEL_SETTINGS, NONE_RULE } from '../nlu/model-settings.js';
import { ESCALATION_RISK } from '../nlu/taxonomy.js';
import { TextNormalizer } from '../nlu/text-normalizer.js';

const { values: args } = parseArgs({
  options: {
    k: { type: 'string', default: '5' },
    corpus: { type: 'string', default: path.resolve('corpus') },
    systems: { type: 'string', default: 'product,stock,svm,logreg' },
    out: { type: 'string', default: path.join(process.env.DATA_DIR ?? './data', 'reports') },
  },
});
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
// @nlpjs/lang-zh announces "Compiling dictionary" with console.log; keep stdout for the report.
console.log = (...parts: unknown[]) => log(parts.map(String).join(' '));

const k = Number(args.k);
const files = corpusFiles(args.corpus);
loadJieba(files.userDict);
const normalizer = new TextNormalizer(loadTypos(files));
const examples = loadExamples(files);
const folds = stratifiedFolds(examples, (e) => e.intent, k);
const heldOutFile = path.join(args.corpus, 'heldout', 'test.json');
const heldOut = existsSync(heldOutFile) ? loadHeldOut(heldOutFile) : [];
const riskFile = path.join(args.corpus, 'heldout', 'risk.json');

const wanted = new Set(args.systems.split(','));
const [svm, logreg] = baselineSystems();
const systems: { key: string; system: System }[] = [
  { key: 'product', system: productSystem(normalizer, MODEL_SETTINGS, NONE_RULE) },
  { key: 'stock', system: stockSystem() },
  { key: 'svm', system: svm! },
  { key: 'logreg', system: logreg! },
].filter((s) => wanted.has(s.key));

const summary: SummaryRow[] = [];
const results = new Map<string, { cv: Scored[]; heldOut: Scored[] }>();
for (const { key, system } of systems) {
  const started = Date.now();
  const cv = await crossValidate(system, examples, folds, (fold) => log(`${system.name}: fold ${fold}/${k}`));
  const held = heldOut.length > 0 ? await scoreHeldOut(system, examples, heldOut) : [];
  log(`${system.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  results.set(key, { cv, heldOut: held });
  summary.push({ system: system.name, data: `${k}-fold CV`, metrics: metricsOf(cv) });
  if (held.length > 0) summary.push({ system: system.name, data: 'held-out', metrics: metricsOf(held) });
}

const print = (s = ''): void => void process.stdout.write(`${s}\n`);
print(`corpus: ${examples.length} utterances, ${new Set(examples.map((e) => e.intent)).size} intents; held-out: ${heldOut.length} messages`);
print();
print(summaryTable(summary));

const product = results.get('product');
const details: HtmlReport['details'] = [];
if (product) {
  const limits = { minNoneRecall: 0.88, maxInScopeRejected: 0.03 };
  const sweep = sweepNoneRules(product.cv, limits);
  print();
  print(
    `none rule sweep on the product's ${k}-fold CV answers (best accuracy with none recall ≥ ${limits.minNoneRecall * 100} % and ≤ ${limits.maxInScopeRejected * 100} % in-scope rejected)`,
  );
  const interesting = [...sweep.rows].sort((a, b) => b.accuracy - a.accuracy).slice(0, 10);
  print(
    table(
      ['min score', 'max unknown share', 'min none score', 'acc %', 'none recall %', 'in-scope → none %'],
      interesting.map((r) => [
        String(r.rule.minScore),
        String(r.rule.maxUnknownShare),
        String(r.rule.minNoneScore),
        (r.accuracy * 100).toFixed(2),
        (r.noneRecall * 100).toFixed(1),
        (r.inScopeRejected * 100).toFixed(1),
      ]),
    ),
  );
  print(`best on CV: ${JSON.stringify(sweep.best.rule)}; in use: ${JSON.stringify(NONE_RULE)}`);
  for (const [name, scored] of [
    [`${k}-fold CV`, product.cv],
    ['held-out', product.heldOut],
  ] as const) {
    if (scored.length === 0) continue;
    const m = metricsOf(scored);
    print();
    print(`product, ${name}: per intent`);
    print(perIntentTable(m));
    print();
    print(`product, ${name}: confusion matrix (rows: true intent, columns: answer)`);
    print(confusionTable(m));
    details.push({ heading: `Product — ${name}`, metrics: m, errors: scored.filter((s) => s.answer.intent !== s.gold) });
  }
}
for (const key of ['stock', 'svm', 'logreg']) {
  const r = results.get(key);
  const name = systems.find((s) => s.key === key)?.system.name ?? key;
  if (r && r.heldOut.length > 0) details.push({ heading: `${name} — held-out`, metrics: metricsOf(r.heldOut), errors: [] });
}

const detector = new EscalationRiskDetector(loadEscalationRiskData(path.join(args.corpus, 'escalation-risk.json')));
const flags: HtmlReport['flags'] = [];
if (heldOut.length > 0) {
  flags.push({
    name: 'escalation_risk on held-out test.json',
    scores: flagScores(heldOut.map((m) => ({ gold: m.flags.includes(ESCALATION_RISK), predicted: detector.detect(m.text) }))),
  });
}
if (existsSync(riskFile)) {
  flags.push({
    name: 'escalation_risk on held-out risk.json',
    scores: flagScores(loadRiskSet(riskFile).map((m) => ({ gold: m.escalationRisk, predicted: detector.detect(m.text) }))),
  });
}
print();
for (const f of flags) print(flagLine(f.name, f.scores));

mkdirSync(args.out, { recursive: true });
const htmlFile = path.resolve(args.out, 'confusion.html');
writeFileSync(
  htmlFile,
  renderHtml({
    title: 'Intent recognition — evaluation',
    generatedAt: new Date().toISOString(),
    summary,
    details,
    flags,
    notes: [
      `Corpus: ${examples.length} utterances; ${k}-fold stratified cross-validation; held-out: ${heldOut.length} messages never used in training or tuning.`,
    ],
  }),
);
const jsonFile = path.resolve(args.out, 'evaluation.json');
writeFileSync(jsonFile, JSON.stringify(summary.map((s) => ({ system: s.system, data: s.data, ...headline(s.metrics) })), null, 2));
print();
print(`HTML report: ${htmlFile}`);
print(`figures (JSON): ${jsonFile}`);

function metricsOf(scored: readonly Scored[]): Metrics {
  return computeMetrics(scored.map((s) => ({ gold: s.gold, predicted: s.answer.intent })));
}

function headline(m: Metrics): Record<string, number> {
  const { count, accuracy, macroF1, categoryAccuracy, noneRecall, inScopeRejected } = m;
  return { count, accuracy, macroF1, categoryAccuracy, noneRecall, inScopeRejected };
}
