/**
 * The review page's own label files name every intent a reviewer may choose (the taxonomy, nothing
 * more) and every reason a turn can be in the queue, so no button or chip shows a bare id.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REVIEW_SIGNALS } from '../../src/engine/conversation-state.js';
import { INTENTS } from '../../src/nlu/taxonomy.js';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../src/web/review/${file}`, import.meta.url), 'utf8'));

describe('review page labels', () => {
  it('offers exactly the taxonomy intents, each with a Chinese label', () => {
    const intents = read('intents.json') as Array<{ id: string; label: string }>;
    expect(intents.map((i) => i.id).sort()).toEqual([...INTENTS].sort());
    for (const { label } of intents) expect(label).toMatch(/\p{Script=Han}/u);
  });

  it('names every review signal in Chinese, the agent’s re-categorisation included', () => {
    const { signals } = read('labels.json') as { signals: Record<string, string> };
    expect(Object.keys(signals).sort()).toEqual([...REVIEW_SIGNALS, 'recategorised'].sort());
    for (const label of Object.values(signals)) expect(label).toMatch(/\p{Script=Han}/u);
  });
});
