import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CORPUS = path.join(REPO, 'corpus');

/**
 * A copy of the corpus with only the first few utterances of each intent, so life-cycle tests can
 * train in a second. The user dictionary is copied unchanged: jieba holds one per process.
 */
export function tinyCorpus(perIntent = 12): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlu-tiny-corpus-'));
  mkdirSync(path.join(dir, 'intents'));
  for (const f of ['jieba-userdict.utf8', 'typos.json', 'escalation-risk.json']) {
    copyFileSync(path.join(CORPUS, f), path.join(dir, f));
  }
  for (const f of readdirSync(path.join(CORPUS, 'intents'))) {
    const content = JSON.parse(readFileSync(path.join(CORPUS, 'intents', f), 'utf8')) as {
      data: { intent: string; utterances: string[] }[];
    };
    for (const d of content.data) d.utterances = d.utterances.slice(0, perIntent);
    writeFileSync(path.join(dir, 'intents', f), JSON.stringify(content));
  }
  return dir;
}
