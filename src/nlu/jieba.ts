import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodejieba from 'nodejieba';

let loaded: { path: string; digest: string } | undefined;

/**
 * nodejieba keeps one global dictionary per process; load it once with the trade's user dictionary.
 * Loading another dictionary later would silently change every tokenizer already in use, so that is
 * refused; the same content under another path (a copy of the corpus) is accepted.
 */
export function loadJieba(userDictPath: string): void {
  const digest = createHash('sha256').update(readFileSync(userDictPath)).digest('hex');
  if (loaded?.digest === digest) return;
  if (loaded !== undefined) {
    throw new Error(`jieba already loaded with ${loaded.path}; cannot switch to a different ${userDictPath}`);
  }
  nodejieba.load({ userDict: userDictPath });
  loaded = { path: userDictPath, digest };
}

/** HMM on lets jieba join characters its dictionary does not know (new words, slang, typos). */
export function cutWords(text: string, hmm = true): string[] {
  return nodejieba.cut(text, hmm);
}
