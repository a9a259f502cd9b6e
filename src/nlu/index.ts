import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFiles, loadExamples, loadTypos, type CorpusFiles } from './corpus.js';
import { corpusHash } from './corpus-hash.js';
import { EscalationRiskDetector, loadEscalationRiskData } from './escalation-risk.js';
import { importNlp, trainNlp } from './intent-model.js';
import { loadJieba } from './jieba.js';
import { readModelFile, writeModelFile, type ModelFile } from './model-file.js';
import { MODEL_SETTINGS, NONE_RULE } from './model-settings.js';
import { NluRecognizer, type Recognizer } from './recognizer.js';
import { TextNormalizer } from './text-normalizer.js';
import { trainingProgress } from './training-progress.js';

export type { NluAnalysis, NluEntity, NluResult, RankedIntent, Recognizer } from './recognizer.js';
export type { Category, Intent } from './taxonomy.js';

export interface LoadOptions {
  /** Default: <repo>/corpus. */
  corpusDir?: string;
  /** Default: NLU_MODEL_PATH, else <DATA_DIR or ./data>/nlu-model.json. */
  modelPath?: string;
  /** Progress and decisions, for stderr; never stdout. */
  log?: (msg: string) => void;
}

export interface TrainOptions extends LoadOptions {
  onProgress?: (done: number, total: number) => void;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function resolvePaths(opts: LoadOptions): { corpusDir: string; modelPath: string } {
  const corpusDir = opts.corpusDir ?? path.join(REPO_ROOT, 'corpus');
  const modelPath =
    opts.modelPath ?? process.env.NLU_MODEL_PATH ?? path.join(process.env.DATA_DIR ?? './data', 'nlu-model.json');
  return { corpusDir, modelPath };
}

/** Trains on the corpus and saves the model (nlp.js export, corpus hash, settings). */
export async function trainModel(opts: TrainOptions = {}): Promise<{ modelPath: string; corpusHash: string; ms: number }> {
  const { corpusDir, modelPath } = resolvePaths(opts);
  const model = await train(corpusFiles(corpusDir), opts);
  writeModelFile(modelPath, model);
  opts.log?.(`nlu: trained on ${corpusDir} in ${model.trainingMs} ms, saved ${modelPath}`);
  return { modelPath, corpusHash: model.corpusHash, ms: model.trainingMs };
}

/** True when a saved model exists and was trained from the current corpus and settings. */
export function savedModelIsCurrent(opts: LoadOptions = {}): boolean {
  const { corpusDir, modelPath } = resolvePaths(opts);
  return readModelFile(modelPath)?.corpusHash === corpusHash(corpusFiles(corpusDir), MODEL_SETTINGS);
}

/** Loads the saved model when it was trained from the current corpus; otherwise trains, saves and uses a new one. */
export async function loadRecognizer(opts: LoadOptions = {}): Promise<Recognizer> {
  const { corpusDir, modelPath } = resolvePaths(opts);
  const files = corpusFiles(corpusDir);
  const hash = corpusHash(files, MODEL_SETTINGS);
  let model = readModelFile(modelPath);
  if (model?.corpusHash === hash) {
    opts.log?.(`nlu: using saved model ${modelPath}`);
  } else {
    opts.log?.(
      model
        ? `nlu: corpus changed since ${modelPath} was trained; retraining`
        : `nlu: no saved model at ${modelPath}; training`,
    );
    model = await train(files, opts);
    writeModelFile(modelPath, model);
    opts.log?.(`nlu: trained in ${model.trainingMs} ms, saved ${modelPath}`);
  }
  return recognizerFor(model, files, corpusDir);
}

async function train(files: CorpusFiles, opts: TrainOptions): Promise<ModelFile> {
  const started = Date.now();
  loadJieba(files.userDict);
  const normalizer = new TextNormalizer(loadTypos(files));
  const examples = loadExamples(files);
  const progress = opts.onProgress ? trainingProgress(MODEL_SETTINGS.neural, opts.onProgress) : undefined;
  const { nlp, idf } = await trainNlp(examples, normalizer, MODEL_SETTINGS, progress?.log);
  progress?.finish();
  return {
    format: 1,
    corpusHash: corpusHash(files, MODEL_SETTINGS),
    settings: MODEL_SETTINGS,
    idf: [...idf],
    nlp: nlp.export(true),
    trainedAt: new Date().toISOString(),
    trainingMs: Date.now() - started,
  };
}

async function recognizerFor(model: ModelFile, files: CorpusFiles, corpusDir: string): Promise<Recognizer> {
  loadJieba(files.userDict);
  const normalizer = new TextNormalizer(loadTypos(files));
  const known = new Map(model.idf);
  const nlp = await importNlp(model.nlp, normalizer, model.settings, known);
  const risk = new EscalationRiskDetector(loadEscalationRiskData(path.join(corpusDir, 'escalation-risk.json')));
  return new NluRecognizer({ nlp, normalizer, settings: model.settings, known }, NONE_RULE, risk, model.corpusHash);
}
