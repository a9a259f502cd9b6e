// npm run --silent classify — one UTF-8 message per stdin line in, one JSON result per stdout line out.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadRecognizer } from '../nlu/index.js';

// --corpus and --model override the defaults (tests use a small corpus copy and a temporary model).
const { values: args } = parseArgs({ options: { corpus: { type: 'string' }, model: { type: 'string' } } });

// stdout carries JSON lines only: whatever a library prints goes to stderr instead.
const toStderr = (...args: unknown[]): void => {
  process.stderr.write(`${args.map(String).join(' ')}\n`);
};
console.log = console.info = console.debug = toStderr;

const out = (line: string): Promise<void> =>
  new Promise((resolve, reject) => process.stdout.write(`${line}\n`, (error) => (error ? reject(error) : resolve())));

try {
  const recognizer = await loadRecognizer({
    corpusDir: args.corpus,
    modelPath: args.model,
    log: (msg) => process.stderr.write(`${msg}\n`),
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const result = await recognizer.parse(line);
    const entities = result.entities.map(({ type, value, text }) => ({ type, value, text }));
    await out(
      JSON.stringify({
        text: result.text,
        intent: result.intent,
        score: result.score,
        category: result.category,
        entities,
        flags: result.flags,
      }),
    );
  }
} catch (error) {
  process.stderr.write(`classify failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
