/**
 * npm run corpus:import-reviewed on a copy of the corpus and of the product model: new labelled turns
 * go into the corpus with their source, duplicates and held-out texts stay out, the evaluation is
 * printed before and after, and a change that lowers held-out accuracy is refused and undone.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { savedModelIsCurrent } from '../../src/nlu/index.js';
import type { ReviewDecision } from '../../src/review/review-queue.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

/** Each import trains a model (12–15 s alone, more on a busy machine) and scores two. */
const TRAINING_TIMEOUT_MS = 240_000;

let target: MongoTarget;
let client: MongoClient;
let db: Db;
let work: string;
let corpusDir: string;
let modelPath: string;

beforeAll(async () => {
  target = await mongoTarget();
  client = await MongoClient.connect(target.uri);
  db = client.db(target.dbName);
  work = mkdtempSync(path.join(tmpdir(), 'import-reviewed-'));
  corpusDir = path.join(work, 'corpus');
  cpSync(path.resolve('corpus'), corpusDir, { recursive: true });
  modelPath = path.join(work, 'nlu-model.json');
  cpSync(inject('productModelPath'), modelPath);
});
afterAll(async () => {
  await client?.close();
  await target?.stop();
  rmSync(work, { recursive: true, force: true });
});

const decisions = () => db.collection<ReviewDecision>('review_decisions');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
let n = 0;
const labelled = (text: string, intent: ReviewDecision['intent']): ReviewDecision => ({
  _id: `conv-${++n}#${n}`,
  action: 'label',
  intent,
  text,
  botIntent: 'none',
  conversationId: `conv-${n}`,
  turnAt: new Date('2026-11-20T02:00:00Z'),
  signals: ['low_confidence'],
  by: 'admin',
  at: new Date(),
});

function runImport(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)('npx', ['tsx', 'src/cli/import-reviewed.ts', '--corpus', corpusDir, '--model', modelPath, ...extra], {
    env: { ...process.env, MONGODB_URI: target.uri, MONGODB_DB: target.dbName },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

const heldOutTexts = () => (JSON.parse(readFileSync(path.join(corpusDir, 'heldout', 'test.json'), 'utf8')) as Array<{ text: string }>).map((m) => m.text);
const heldOutText = () => heldOutTexts()[0]!;
/** A training utterance that is not also a held-out message. */
const firstCorpusUtterance = () =>
  (JSON.parse(readFileSync(path.join(corpusDir, 'intents', 'none.json'), 'utf8')) as { data: Array<{ utterances: string[] }> }).data[0]!.utterances.find(
    (u) => !heldOutTexts().includes(u),
  )!;

describe('npm run corpus:import-reviewed', () => {
  it('adds new labelled turns with their source, leaves out duplicates and held-out texts, and keeps a model that did not get worse', async () => {
    const fresh = [
      labelled('晚上一到九点就断线，重连好几次才上去', 'network.unstable'),
      labelled('交了两百的费用，账单上显示扣了三百，多扣的钱怎么算', 'billing.dispute'),
      labelled('装宽带约的周一，到现在周五了还没人上门', 'service.install_delay'),
    ];
    const leftOut = [labelled(` ${firstCorpusUtterance()}！`, 'none'), labelled(heldOutText(), 'network.no_connection'), labelled('<PHONE>', 'none')];
    await decisions().insertMany([...fresh, ...leftOut]);
    const modelBefore = sha(modelPath);

    const dry = await runImport('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing changed');
    expect(existsSync(path.join(corpusDir, 'intents', 'reviewed.json'))).toBe(false);

    const run = await runImport();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('6 labelled turn(s) waiting; 3 new, 3 left out');
    expect(run.stdout).toContain('left out (in the corpus)');
    expect(run.stdout).toContain('left out (in the held-out file)');
    expect(run.stdout).toContain('left out (nothing to learn): <PHONE>');
    expect(run.stdout).toMatch(/before\s+held-out\s+\d+\s+[\d.]+/);
    expect(run.stdout).toMatch(/after\s+held-out\s+\d+\s+[\d.]+/);
    expect(run.stdout).toContain('model replaced');

    const reviewed = JSON.parse(readFileSync(path.join(corpusDir, 'intents', 'reviewed.json'), 'utf8')) as { data: Array<{ intent: string; utterances: string[] }> };
    expect(reviewed.data.flatMap((d) => d.utterances.map((u) => [d.intent, u])).sort()).toEqual(fresh.map((f) => [f.intent, f.text]).sort());
    const sources = readFileSync(path.join(corpusDir, 'reviewed-sources.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(sources.map((s) => s.reviewItem).sort()).toEqual(fresh.map((f) => f._id).sort());
    const first = fresh.find((f) => f._id === sources[0].reviewItem)!;
    expect(sources[0]).toMatchObject({
      text: first.text,
      intent: first.intent,
      conversationId: first.conversationId,
      turnAt: '2026-11-20T02:00:00.000Z',
      signals: ['low_confidence'],
      labelledBy: 'admin',
      importedAt: expect.any(String),
    });
    // The new model is the one trained on the new corpus: the service will load it without retraining.
    expect(sha(modelPath)).not.toBe(modelBefore);
    expect(savedModelIsCurrent({ corpusDir, modelPath })).toBe(true);
    expect(await decisions().countDocuments({ importedAt: { $exists: false } })).toBe(0);

    // Run again: nothing left to do.
    expect((await runImport()).stdout).toContain('nothing new to add');
  }, TRAINING_TIMEOUT_MS);

  it('refuses a change that lowers held-out accuracy and puts everything back', async () => {
    const slow = (JSON.parse(readFileSync(path.join(corpusDir, 'intents', 'network.json'), 'utf8')) as { data: Array<{ intent: string; utterances: string[] }> }).data.find(
      (d) => d.intent === 'network.slow',
    )!.utterances;
    // A reviewer's slip, repeated: slow-internet complaints (shortened by a character, so they are new) labelled as greetings.
    const slips = slow.filter((u) => u.length > 4).map((u) => labelled(u.slice(0, -1), 'greeting'));
    await decisions().insertMany(slips);
    // Two of them still have their transcript turn (already reviewed): a refusal puts those back in the queue.
    const turns = db.collection('transcripts');
    await turns.insertMany(
      slips.slice(0, 2).map((d) => ({
        conversationId: d.conversationId,
        seq: Number(d._id.split('#')[1]),
        channel: 'test',
        direction: 'inbound',
        sender: 'customer',
        text: d.text,
        at: new Date(),
        review: ['low_confidence'],
        reviewState: 'label',
        reviewedAt: new Date(),
      })),
    );
    const reviewedBefore = readFileSync(path.join(corpusDir, 'intents', 'reviewed.json'), 'utf8');
    const modelBefore = sha(modelPath);

    const run = await runImport();
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/REFUSED: held-out accuracy would drop from [\d.]+ % to [\d.]+ %/);
    expect(run.stdout).toMatch(/network\.slow\s+[\d.]+\s+[\d.]+\s+-[\d.]+/);
    expect(readFileSync(path.join(corpusDir, 'intents', 'reviewed.json'), 'utf8')).toBe(reviewedBefore);
    expect(sha(modelPath)).toBe(modelBefore);
    expect(existsSync(`${modelPath}.candidate`)).toBe(false);
    expect(await decisions().countDocuments({ importedAt: { $exists: false } })).toBe(slips.length);
    // The reviewer is told which labels were tried and gets the turns back on the review page.
    expect(run.stdout).toContain(`[greeting] ${slips[0]!.text}  (${slips[0]!._id})`);
    expect(run.stdout).toContain('2 of them are back on the review page');
    expect(await turns.countDocuments({ reviewState: { $exists: true } })).toBe(0);
  }, TRAINING_TIMEOUT_MS);
});
