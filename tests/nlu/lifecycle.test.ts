import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecognizer, trainModel } from '../../src/nlu/index.js';
import { readModelFile } from '../../src/nlu/model-file.js';
import { corpusFiles } from '../../src/nlu/corpus.js';
import { corpusHash } from '../../src/nlu/corpus-hash.js';
import { MODEL_SETTINGS } from '../../src/nlu/model-settings.js';
import { CORPUS, tinyCorpus } from './support/tiny-corpus.js';

let corpusDir: string;
let modelPath: string;

beforeAll(() => {
  corpusDir = tinyCorpus();
  modelPath = path.join(corpusDir, 'model', 'nlu-model.json');
});

afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));

describe('model life-cycle', () => {
  it('trains with progress and saves the nlp.js export with the corpus hash and settings', async () => {
    const progress: [number, number][] = [];
    const result = await trainModel({ corpusDir, modelPath, onProgress: (done, total) => progress.push([done, total]) });
    expect(result.modelPath).toBe(modelPath);
    const saved = readModelFile(modelPath)!;
    expect(saved.corpusHash).toBe(result.corpusHash);
    expect(saved.settings.features.charNgrams).toBeDefined();
    expect(JSON.parse(saved.nlp)).toHaveProperty('nluManager');
    expect(progress.at(-1)).toEqual([progress[0]![1], progress[0]![1]]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
  });

  it('reuses the saved model while the corpus is unchanged, without training', async () => {
    const before = statSync(modelPath).mtimeMs;
    const messages: string[] = [];
    const recognizer = await loadRecognizer({ corpusDir, modelPath, log: (m) => messages.push(m) });
    expect(messages.join('\n')).toMatch(/using saved model/);
    expect(messages.join('\n')).not.toMatch(/train/);
    expect(statSync(modelPath).mtimeMs).toBe(before);
    expect(recognizer.corpusHash).toBe(readModelFile(modelPath)!.corpusHash);
    expect((await recognizer.parse('转人工')).intent).toBe('handoff.request');
  });

  it('retrains when an intent file or the typo map changes', async () => {
    const oldHash = readModelFile(modelPath)!.corpusHash;
    const typos = path.join(corpusDir, 'typos.json');
    writeFileSync(typos, JSON.stringify({ ...JSON.parse(readFileSync(typos, 'utf8')), 网苏: '网速' }));
    const messages: string[] = [];
    const recognizer = await loadRecognizer({ corpusDir, modelPath, log: (m) => messages.push(m) });
    expect(messages.join('\n')).toMatch(/corpus changed.*retraining/);
    expect(recognizer.corpusHash).not.toBe(oldHash);
    expect(readModelFile(modelPath)!.corpusHash).toBe(recognizer.corpusHash);

    const intents = path.join(corpusDir, 'intents', 'utility.json');
    const content = JSON.parse(readFileSync(intents, 'utf8'));
    content.data[0].utterances.push('帮我看看工单走到哪一步了');
    writeFileSync(intents, JSON.stringify(content));
    const again = await loadRecognizer({ corpusDir, modelPath });
    expect(again.corpusHash).not.toBe(recognizer.corpusHash);
  });

  it('hashes the user dictionary and the model settings too', () => {
    const files = corpusFiles(corpusDir);
    const before = corpusHash(files, MODEL_SETTINGS);
    // jieba holds one dictionary per process, so this is checked on the hash rather than by retraining.
    appendFileSync(files.userDict, '测试词 10 n\n');
    expect(corpusHash(files, MODEL_SETTINGS)).not.toBe(before);
    writeFileSync(files.userDict, readFileSync(path.join(CORPUS, 'jieba-userdict.utf8')));
    expect(corpusHash(files, MODEL_SETTINGS)).toBe(before);
    const neural = { ...MODEL_SETTINGS.neural, learningRate: (MODEL_SETTINGS.neural.learningRate ?? 0.1) * 2 };
    expect(corpusHash(files, { ...MODEL_SETTINGS, neural })).not.toBe(before);
  });

  it('retrains when the saved model is unreadable', async () => {
    writeFileSync(modelPath, '{ not json');
    const messages: string[] = [];
    await loadRecognizer({ corpusDir, modelPath, log: (m) => messages.push(m) });
    expect(messages.join('\n')).toMatch(/no saved model/);
    expect(readModelFile(modelPath)).toBeDefined();
  });
});
