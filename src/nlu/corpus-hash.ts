import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CorpusFiles } from './corpus.js';
import type { ModelSettings } from './intent-model.js';
import { FEATURE_CODE_VERSION } from './model-settings.js';

/**
 * Identifies what a model was trained from: every corpus file that shapes it (intents, user
 * dictionary, typo map; by name and bytes), the model settings and the feature code's version.
 * A saved model is reused only while this is unchanged.
 */
export function corpusHash(files: CorpusFiles, settings: ModelSettings): string {
  const hash = createHash('sha256');
  hash.update(`feature-code:${FEATURE_CODE_VERSION}\n`);
  hash.update(`settings:${JSON.stringify(settings)}\n`);
  for (const file of [...files.intents, files.userDict, files.typos]) {
    const content = readFileSync(file);
    hash.update(`${path.basename(file)}:${content.length}\n`);
    hash.update(content);
  }
  return hash.digest('hex');
}
