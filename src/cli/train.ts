// npm run train — trains the intent model from corpus/ and saves it where the server loads it from.
import cliProgress from 'cli-progress';
import { trainModel } from '../nlu/index.js';

const bar = new cliProgress.SingleBar(
  { stream: process.stderr, format: 'training intent model [{bar}] {percentage}% | {duration}s', hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let started = false;
const messages: string[] = [];

try {
  const result = await trainModel({
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.update(done);
      }
    },
    // Held back while the bar is drawn, which would otherwise be torn apart by the lines.
    log: (msg) => messages.push(msg),
  });
  bar.stop();
  for (const msg of messages) process.stderr.write(`${msg}\n`);
  process.stderr.write(`model ${result.modelPath} (corpus ${result.corpusHash.slice(0, 12)}) in ${(result.ms / 1000).toFixed(1)} s\n`);
} catch (error) {
  bar.stop();
  process.stderr.write(`training failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
