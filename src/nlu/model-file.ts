import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelSettings } from './intent-model.js';

/** What `npm run train` writes: nlp.js's export plus everything needed to rebuild its input pipeline. */
export interface ModelFile {
  format: 1;
  corpusHash: string;
  settings: ModelSettings;
  /** Inverse document frequency of every training feature (input weights, and the known vocabulary). */
  idf: [string, number][];
  /** nlp.js's own export (Nlp#export). */
  nlp: string;
  trainedAt: string;
  trainingMs: number;
}

/** The saved model, or undefined when there is none or it cannot be read (then it is retrained). */
export function readModelFile(file: string): ModelFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ModelFile>;
    if (parsed.format !== 1 || typeof parsed.corpusHash !== 'string' || typeof parsed.nlp !== 'string') return undefined;
    return parsed as ModelFile;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed, so a reader never sees half a model. */
export function writeModelFile(file: string, model: ModelFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(model));
  renameSync(temporary, file);
}
