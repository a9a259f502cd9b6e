import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHeldOut } from '../../src/nlu/evaluation/heldout.js';
import { computeMetrics } from '../../src/nlu/evaluation/metrics.js';
import { loadRecognizer, type Recognizer } from '../../src/nlu/index.js';
import { CORPUS } from './support/tiny-corpus.js';

// Floors a little under what the model reaches (see `npm run evaluate`), so a regression fails CI.
const FLOOR = { accuracy: 0.92, categoryAccuracy: 0.94, noneRecall: 0.85, maxInScopeRejected: 0.03 };

const heldOutFile = path.join(CORPUS, 'heldout', 'test.json');
let dir: string;
let recognizer: Recognizer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nlu-quality-'));
  recognizer = await loadRecognizer({ corpusDir: CORPUS, modelPath: path.join(dir, 'nlu-model.json') });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quality on the held-out messages', () => {
  it.skipIf(!existsSync(heldOutFile))('stays above the floor', async () => {
    const messages = loadHeldOut(heldOutFile);
    const predictions = [];
    for (const m of messages) predictions.push({ gold: m.intent, predicted: (await recognizer.parse(m.text)).intent });
    const metrics = computeMetrics(predictions);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(FLOOR.accuracy);
    expect(metrics.categoryAccuracy).toBeGreaterThanOrEqual(FLOOR.categoryAccuracy);
    expect(metrics.noneRecall).toBeGreaterThanOrEqual(FLOOR.noneRecall);
    expect(metrics.inScopeRejected).toBeLessThanOrEqual(FLOOR.maxInScopeRejected);
  });
});

describe('none handling and robustness', () => {
  it.each(['今天天气怎么样', '', '   ', '😂😂😂', '？？？', 'asdfghjkl', '给我讲个笑话'])('%j is none', async (text) => {
    const result = await recognizer.parse(text);
    expect(result).toMatchObject({ intent: 'none', category: 'other' });
  });

  it('answers complaints with their intent and category', async () => {
    expect(await recognizer.parse('拨号一直提示691，上不了网')).toMatchObject({ intent: 'network.no_connection', category: 'network' });
    expect(await recognizer.parse('ＷＩＦＩ老是掉线')).toMatchObject({ intent: 'network.unstable' });
    expect(await recognizer.parse('这个月宽带费多扣了30块')).toMatchObject({ intent: 'billing.dispute', category: 'billing' });
  });

  it('never throws, and stays fast on a huge message', async () => {
    const huge = '网速慢'.repeat(35_000);
    const started = performance.now();
    const result = await recognizer.parse(huge);
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.text).toBe(huge);
    for (const text of ['\u0000\u0007\u001b[31m', 'I cannot get online at all', '\uD800', '🙂'.repeat(3000), 'a\u200bb']) {
      const r = await recognizer.parse(text);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    // The API is typed, but the server passes along whatever a channel delivers.
    expect((await recognizer.parse(undefined as unknown as string)).intent).toBe('none');
  });

  it('flags escalation risk independently of the intent', async () => {
    const result = await recognizer.parse('网断了三天，再不修我就打12300投诉你们');
    expect(result.flags).toEqual(['escalation_risk']);
    expect(result.intent).not.toBe('none');
    expect((await recognizer.parse('网断了')).flags).toEqual([]);
  });
});
