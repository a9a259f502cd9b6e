// npm run corpus:import-reviewed [-- --dry-run] [--corpus DIR] [--model FILE]
// Labelled review items into the corpus, retrained and scored before/after on the held-out file; the
// new model is kept only when held-out accuracy did not drop.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../logger.js';
import type { Metrics } from '../nlu/evaluation/metrics.js';
import { summaryTable, table } from '../nlu/evaluation/report-text.js';
import { importReviewed, REVIEWED_FILE, SOURCES_FILE } from '../review/corpus-import.js';
import { ReviewQueue } from '../review/review-queue.js';
import { connectStorage } from '../storage/connection.js';

const say = (line = ''): void => void process.stdout.write(`${line}\n`);
// @nlpjs announces its dictionary on console.log; stdout is for the report.
console.log = (...parts: unknown[]) => process.stderr.write(`${parts.map(String).join(' ')}\n`);

let args;
let config;
try {
  args = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false }, corpus: { type: 'string' }, model: { type: 'string' } } }).values;
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\nusage: npm run corpus:import-reviewed -- [--dry-run] [--corpus DIR] [--model FILE]\n`);
  process.exit(err instanceof ConfigError || err instanceof TypeError ? 2 : 1);
}
const corpusDir = path.resolve(args.corpus ?? fileURLToPath(new URL('../../corpus', import.meta.url)));
const modelPath = path.resolve(args.model ?? config.NLU_MODEL_PATH ?? path.join(config.DATA_DIR, 'nlu-model.json'));

let storage;
try {
  storage = await connectStorage({ mongodbUri: config.MONGODB_URI, dbName: config.MONGODB_DB, dataDir: config.DATA_DIR, logger: createLogger('silent') });
} catch (err) {
  process.stderr.write(
    config.MONGODB_URI
      ? `Cannot reach MongoDB: ${(err as Error).message}\n`
      : `Cannot open the embedded database in ${config.DATA_DIR}: ${(err as Error).message}\nIf the service is running it holds these files: stop it first (or run the service on MONGODB_URI).\n`,
  );
  process.exit(1);
}

const pct = (x: number) => (x * 100).toFixed(1);
function changes(before: Metrics, after: Metrics): string {
  const rows = after.perIntent
    .map((a) => ({ a, b: before.perIntent.find((x) => x.intent === a.intent) }))
    .filter(({ a, b }) => b && Math.abs(a.f1 - b.f1) >= 0.0005)
    .map(({ a, b }) => [a.intent, pct(b!.f1), pct(a.f1), `${a.f1 >= b!.f1 ? '+' : ''}${pct(a.f1 - b!.f1)}`]);
  return rows.length ? table(['intent', 'F1 before %', 'F1 after %', 'change'], rows) : 'no intent changed its F1';
}

const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'training [{bar}] {percentage}% | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic);
let barStarted = false;
try {
  const queue = new ReviewQueue(storage.db);
  const decisions = await queue.labelledNotImported();
  const result = await importReviewed(decisions, {
    corpusDir,
    modelPath,
    dryRun: args['dry-run'],
    onProgress: (done, total) => {
      if (!barStarted) bar.start(total, done);
      else bar.update(done);
      barStarted = true;
    },
  });
  bar.stop();
  const { selection } = result;
  say(`${decisions.length} labelled turn(s) waiting; ${selection.added.length} new, ${selection.skipped.length} left out`);
  for (const { decision, why } of selection.skipped) say(`  left out (${why}): ${decision.text}`);
  if (result.status === 'nothing-new' || result.status === 'dry-run') {
    for (const { intent, text } of selection.added) say(`  would add [${intent}] ${text}`);
    if (result.status === 'nothing-new') await queue.markImported(selection.skipped.map((s) => s.decision._id));
    say(result.status === 'dry-run' ? 'dry run: nothing changed' : 'nothing new to add; the model is unchanged');
  } else {
    say();
    say(`held-out evaluation (${result.before.count} messages, ${path.join(corpusDir, 'heldout', 'test.json')})`);
    say(summaryTable([
      { system: 'before', data: 'held-out', metrics: result.before },
      { system: 'after', data: 'held-out', metrics: result.after },
    ]));
    say();
    say(changes(result.before, result.after));
    say();
    if (result.status === 'refused') {
      say(`REFUSED: held-out accuracy would drop from ${pct(result.before.accuracy)} % to ${pct(result.after.accuracy)} %.`);
      const back = await queue.requeue(selection.added.map((c) => c.decision._id));
      say('The corpus and the model are unchanged. The turns it would have added:');
      for (const { decision, intent, text } of selection.added) say(`  [${intent}] ${text}  (${decision._id})`);
      const api = 'POST /api/review/items/<id> with {"action":"label","intent":…} or {"action":"unusable"}';
      if (back > 0) {
        say(`${back} of them are back on the review page (/review) with their label shown: correct the wrong ones or mark them unusable, then run this again.`);
      }
      if (back < selection.added.length) say(`${selection.added.length - back} have left the transcripts; change them with ${api}.`);
      process.exitCode = 1;
    } else {
      await queue.markImported([...selection.added, ...selection.skipped].map((c) => c.decision._id));
      say(`added ${selection.added.length} utterance(s) to ${path.join(corpusDir, REVIEWED_FILE)} (sources in ${SOURCES_FILE})`);
      say(`model replaced: ${modelPath}`);
    }
  }
} catch (err) {
  bar.stop();
  process.stderr.write(`import failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
} finally {
  await storage.close();
}
