import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// This module lives at src/nlu/entities/, three levels below the repository root.
const ENTITY_DATA_DIR = fileURLToPath(new URL('../../../corpus/entities/', import.meta.url));

/** Reads one word-list file of corpus/entities; the caller validates its shape. */
export function readEntityData(fileName: string): unknown {
  return JSON.parse(readFileSync(ENTITY_DATA_DIR + fileName, 'utf8')) as unknown;
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One alternation of literals, longest first so that "光纤猫" wins over "猫". */
export function alternation(words: readonly string[]): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
}

/** Word lists are written by people: apply the same NFKC + lower case the text gets. */
export function normalizeWord(word: string): string {
  return word.normalize('NFKC').toLowerCase();
}
