/**
 * Intent recognition speed, next to baselines measured in the same run, so figures read as ratios:
 * - training time (a full `npm run train` into a temporary file);
 * - cold start: a fresh process that loads the saved model and answers one message;
 * - per-message latency (p50 / p99) and classifications per second over the held-out messages, for the
 *   product's parse(), stock nlp.js (@nlpjs/lang-zh) process() trained on the same corpus, and a no-op
 *   parse (the harness's own cost);
 * - resident memory after the model is loaded.
 *
 *   npx tsx bench/nlu.bench.ts            (BENCH_PASSES=5 passes over the messages by default)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFiles, loadExamples } from '../src/nlu/corpus.js';
import { loadHeldOut } from '../src/nlu/evaluation/heldout.js';
import { stockSystem } from '../src/nlu/evaluation/systems.js';
import { loadRecognizer, trainModel } from '../src/nlu/index.js';

const PASSES = Number(process.env.BENCH_PASSES ?? 5);
const root = fileURLToPath(new URL('../', import.meta.url));
const corpusDir = path.join(root, 'corpus');
const heldOutFile = path.join(corpusDir, 'heldout', 'test.json');
const texts = existsSync(heldOutFile)
  ? loadHeldOut(heldOutFile).map((m) => m.text)
  : loadExamples(corpusFiles(corpusDir)).map((e) => e.text);

interface Speed {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(name: string, parse: (text: string) => Promise<unknown>): Promise<Speed> {
  for (const t of texts) await parse(t); // warm-up: JIT, nlp.js's caches are not what we measure
  const latencies: number[] = [];
  const started = performance.now();
  for (let pass = 0; pass < PASSES; pass++) {
    // A distinct suffix per pass defeats nlp.js's per-text cache, so every call does the full work.
    for (const t of texts) {
      const text = `${t}${' '.repeat(pass + 1)}`;
      const t0 = performance.now();
      await parse(text);
      latencies.push(performance.now() - t0);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { name, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

const dir = mkdtempSync(path.join(tmpdir(), 'nlu-bench-'));
const modelPath = path.join(dir, 'nlu-model.json');
try {
  const trained = await trainModel({ corpusDir, modelPath });

  const startupCode = `
    const t0 = performance.now();
    const { loadRecognizer } = await import(${JSON.stringify(path.join(root, 'src/nlu/index.ts'))});
    const r = await loadRecognizer({ corpusDir: ${JSON.stringify(corpusDir)}, modelPath: ${JSON.stringify(modelPath)} });
    await r.parse('宽带上不了网');
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0, rss: process.memoryUsage().rss }));`;
  const coldStarted = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', startupCode], {
    cwd: root,
    encoding: 'utf8',
  });
  const coldMs = performance.now() - coldStarted;
  if (child.status !== 0) throw new Error(`start-up child failed: ${child.stderr}`);
  // The child's memory is the server's situation: a fresh process that loaded the saved model.
  const cold = JSON.parse(child.stdout) as { ms: number; rss: number };
  const bare = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', 'process.stdout.write(String(process.memoryUsage().rss))'], {
    cwd: root,
    encoding: 'utf8',
  });
  const bareRss = Number(bare.stdout);

  const recognizer = await loadRecognizer({ corpusDir, modelPath });

  const noop = await measure('no-op parse (harness cost)', async (t) => t);
  const product = await measure('product parse()', (t) => recognizer.parse(t));
  const stockPredict = await stockSystem().train(loadExamples(corpusFiles(corpusDir)));
  const stock = await measure('stock nlp.js process()', stockPredict);

  const fmt = (x: number, d = 3): string => x.toFixed(d);
  console.log(`NLU benchmark: ${texts.length} held-out messages × ${PASSES} passes, ${path.relative(root, corpusDir)}/`);
  console.log('');
  console.log('what                          per second   p50 ms   p99 ms');
  for (const s of [product, stock, noop]) {
    console.log(`${s.name.padEnd(28)}  ${fmt(s.perSecond, 0).padStart(10)}  ${fmt(s.p50).padStart(7)}  ${fmt(s.p99).padStart(7)}`);
  }
  console.log('');
  console.log(`product vs stock nlp.js: ${fmt(product.perSecond / stock.perSecond, 2)}× the throughput, p99 ${fmt(product.p99 / stock.p99, 2)}× stock's`);
  console.log(`training (npm run train): ${fmt(trained.ms / 1000, 1)} s`);
  console.log(`cold start, fresh process to first answer with the saved model: ${fmt(coldMs / 1000, 2)} s (of which import + load + parse: ${fmt(cold.ms / 1000, 2)} s)`);
  console.log(
    `resident memory of that process after loading the model: ${fmt(cold.rss / 2 ** 20, 0)} MiB (a bare node + tsx process: ${fmt(bareRss / 2 ** 20, 0)} MiB; model file ${fmt(statSync(modelPath).size / 2 ** 20, 1)} MiB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
