import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isIntent, type Intent } from './taxonomy.js';

/** One labelled training utterance. */
export interface Example {
  text: string;
  intent: Intent;
}

/** The corpus files that shape the model; any change to one of them means retraining. */
export interface CorpusFiles {
  intents: string[];
  userDict: string;
  typos: string;
}

export function corpusFiles(corpusDir: string): CorpusFiles {
  const intentDir = path.join(corpusDir, 'intents');
  const intents = readdirSync(intentDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(intentDir, f));
  return {
    intents,
    userDict: path.join(corpusDir, 'jieba-userdict.utf8'),
    typos: path.join(corpusDir, 'typos.json'),
  };
}

interface IntentFile {
  data: { intent: string; utterances: string[] }[];
}

/** Every training utterance of corpus/intents/*.json (nlp.js corpus format), checked against the taxonomy. */
export function loadExamples(files: CorpusFiles): Example[] {
  const examples: Example[] = [];
  for (const file of files.intents) {
    const content = JSON.parse(readFileSync(file, 'utf8')) as IntentFile;
    for (const { intent, utterances } of content.data) {
      if (!isIntent(intent)) throw new Error(`${file}: unknown intent "${intent}"`);
      for (const text of utterances) examples.push({ text, intent });
    }
  }
  return examples;
}

/** The typo map: a misspelling or homophone → the word meant. */
export function loadTypos(files: CorpusFiles): Record<string, string> {
  return JSON.parse(readFileSync(files.typos, 'utf8')) as Record<string, string>;
}
