import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_CATEGORIES } from '../../src/nlu/taxonomy.js';
import { REPO } from './support/tiny-corpus.js';

const TAXONOMY = path.join(REPO, '..', 'shared', 'TAXONOMY.md');

describe('taxonomy', () => {
  it.skipIf(!existsSync(TAXONOMY))('matches the intents and categories of ../shared/TAXONOMY.md', () => {
    const rows = readFileSync(TAXONOMY, 'utf8')
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      // Table rows: | intent | category | 中文 | meaning |, without the header and the separator.
      .filter((cells) => cells.length >= 5 && cells[1] !== 'intent' && !/^-+$/.test(cells[1]!));
    const documented = Object.fromEntries(rows.map((cells) => [cells[1], cells[2]]));
    expect(documented).toEqual(INTENT_CATEGORIES);
  });
});
