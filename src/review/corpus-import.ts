/**
 * Reviewed turns back into the corpus: new, masked, labelled utterances are appended to
 * corpus/intents/reviewed.json (their sources to corpus/reviewed-sources.jsonl), a model is trained on
 * the result, and both models are scored on the same held-out file. The new model replaces the old one
 * only when held-out accuracy did not drop; otherwise the corpus is put back as it was.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { corpusFiles, loadExamples, type Example } from '../nlu/corpus.js';
import { loadHeldOut, type HeldOutMessage } from '../nlu/evaluation/heldout.js';
import { computeMetrics, type Metrics } from '../nlu/evaluation/metrics.js';
import { loadRecognizer, trainModel } from '../nlu/index.js';
import type { Intent } from '../nlu/taxonomy.js';
import type { ReviewDecision } from './review-queue.js';

export const REVIEWED_FILE = path.join('intents', 'reviewed.json');
export const SOURCES_FILE = 'reviewed-sources.jsonl';

/** Only placeholders, digits and punctuation left after masking: nothing to learn from. */
const NOTHING_TO_LEARN = /^(?:<[A-Z_]+>|[\s\p{P}\p{S}\d])*$/u;
const MAX_UTTERANCE = 300;

/** The form two utterances are compared in: width, case, spaces and punctuation do not make a new one. */
export function dedupeKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

export interface Candidate {
  decision: ReviewDecision;
  intent: Intent;
  text: string;
}

export interface Selection {
  added: Candidate[];
  skipped: Array<{ decision: ReviewDecision; why: 'in the corpus' | 'in the held-out file' | 'repeated' | 'nothing to learn' }>;
}

/** Which labelled turns are new to the corpus and the held-out file (the latter must stay unseen). */
export function selectNew(decisions: readonly ReviewDecision[], corpus: readonly Example[], heldOut: readonly HeldOutMessage[]): Selection {
  const inCorpus = new Set(corpus.map((e) => dedupeKey(e.text)));
  const inHeldOut = new Set(heldOut.map((m) => dedupeKey(m.text)));
  const taken = new Set<string>();
  const selection: Selection = { added: [], skipped: [] };
  for (const decision of decisions) {
    const text = decision.text.trim().slice(0, MAX_UTTERANCE);
    const key = dedupeKey(text);
    if (!decision.intent || NOTHING_TO_LEARN.test(text)) selection.skipped.push({ decision, why: 'nothing to learn' });
    else if (inHeldOut.has(key)) selection.skipped.push({ decision, why: 'in the held-out file' });
    else if (inCorpus.has(key)) selection.skipped.push({ decision, why: 'in the corpus' });
    else if (taken.has(key)) selection.skipped.push({ decision, why: 'repeated' });
    else {
      taken.add(key);
      selection.added.push({ decision, intent: decision.intent, text });
    }
  }
  return selection;
}

interface IntentFile {
  name: string;
  locale: string;
  data: Array<{ intent: string; utterances: string[] }>;
}

function withAdded(existing: string | undefined, added: readonly Candidate[]): string {
  const file: IntentFile = existing ? (JSON.parse(existing) as IntentFile) : { name: 'broadband-service-reviewed', locale: 'zh', data: [] };
  for (const { intent, text } of added) {
    let block = file.data.find((d) => d.intent === intent);
    if (!block) {
      block = { intent, utterances: [] };
      file.data.push(block);
    }
    block.utterances.push(text);
  }
  file.data.sort((a, b) => a.intent.localeCompare(b.intent));
  return `${JSON.stringify(file, null, 2)}\n`;
}

async function heldOutMetrics(corpusDir: string, modelPath: string, heldOut: readonly HeldOutMessage[]): Promise<Metrics> {
  const recognizer = await loadRecognizer({ corpusDir, modelPath });
  const predictions = [];
  for (const m of heldOut) predictions.push({ gold: m.intent, predicted: (await recognizer.parse(m.text)).intent });
  return computeMetrics(predictions);
}

export interface ImportOptions {
  corpusDir: string;
  modelPath: string;
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export type ImportResult =
  | { status: 'nothing-new'; selection: Selection }
  | { status: 'dry-run'; selection: Selection }
  | { status: 'kept' | 'refused'; selection: Selection; before: Metrics; after: Metrics };

export async function importReviewed(decisions: readonly ReviewDecision[], opts: ImportOptions): Promise<ImportResult> {
  const heldOut = loadHeldOut(path.join(opts.corpusDir, 'heldout', 'test.json'));
  const selection = selectNew(decisions, loadExamples(corpusFiles(opts.corpusDir)), heldOut);
  if (selection.added.length === 0) return { status: 'nothing-new', selection };
  if (opts.dryRun) return { status: 'dry-run', selection };

  // Scored first, while the corpus is still the one the current model was trained on.
  const before = await heldOutMetrics(opts.corpusDir, opts.modelPath, heldOut);
  const reviewedFile = path.join(opts.corpusDir, REVIEWED_FILE);
  const previous = existsSync(reviewedFile) ? readFileSync(reviewedFile, 'utf8') : undefined;
  const candidateModel = `${opts.modelPath}.candidate`;
  writeFileSync(reviewedFile, withAdded(previous, selection.added));
  try {
    await trainModel({ corpusDir: opts.corpusDir, modelPath: candidateModel, onProgress: opts.onProgress });
    const after = await heldOutMetrics(opts.corpusDir, candidateModel, heldOut);
    if (after.accuracy < before.accuracy) {
      restore(reviewedFile, previous);
      rmSync(candidateModel, { force: true });
      return { status: 'refused', selection, before, after };
    }
    renameSync(candidateModel, opts.modelPath);
    const importedAt = new Date().toISOString();
    appendFileSync(
      path.join(opts.corpusDir, SOURCES_FILE),
      selection.added
        .map(({ decision, intent, text }) =>
          JSON.stringify({
            text,
            intent,
            reviewItem: decision._id,
            conversationId: decision.conversationId,
            turnAt: decision.turnAt,
            signals: decision.signals,
            botIntent: decision.botIntent,
            labelledBy: decision.by,
            labelledAt: decision.at,
            importedAt,
          }),
        )
        .join('\n') + '\n',
    );
    return { status: 'kept', selection, before, after };
  } catch (err) {
    restore(reviewedFile, previous);
    rmSync(candidateModel, { force: true });
    throw err;
  }
}

function restore(file: string, previous: string | undefined): void {
  if (previous === undefined) rmSync(file, { force: true });
  else writeFileSync(file, previous);
}
