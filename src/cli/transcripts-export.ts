// npm run transcripts:export -- --since 2026-11-01 [--until 2026-11-30] [--format jsonl|csv] [--out file]
// Masked conversations with NLU results and outcomes, from the storage the service is configured with.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { CarrierConfigError, createCarrier } from '../carrier/index.js';
import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../logger.js';
import { connectStorage } from '../storage/connection.js';
import { exportFormat, exportRange, exportTranscripts } from '../transcripts/export.js';
import { carrierHolders } from '../transcripts/export-holders.js';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run transcripts:export -- --since YYYY-MM-DD [--until YYYY-MM-DD] [--format jsonl|csv] [--out FILE]\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } } }).values;
} catch (err) {
  usage((err as Error).message);
}
let range;
let format;
let config;
let carrier;
try {
  range = exportRange(args.since, args.until);
  format = exportFormat(args.format);
  config = loadConfig();
  // The back office knows the holders' names, which the export masks too.
  carrier = createCarrier({ fixturesPath: config.CARRIER_FIXTURES, url: config.CARRIER_URL, timeoutMs: config.CARRIER_TIMEOUT_MS });
} catch (err) {
  if (err instanceof RangeError || err instanceof ConfigError || err instanceof CarrierConfigError) usage(err.message);
  throw err;
}

const output = args.out ? createWriteStream(args.out) : process.stdout;
if (args.out) {
  // A path that cannot be written is the user's mistake: say so before touching the database.
  try {
    await once(output, 'open');
  } catch (err) {
    usage(`cannot write ${args.out}: ${(err as Error).message}`);
  }
}
const write = async (chunk: string): Promise<void> => {
  if (!output.write(chunk)) await once(output, 'drain');
};

let storage;
try {
  storage = await connectStorage({ mongodbUri: config.MONGODB_URI, dbName: config.MONGODB_DB, dataDir: config.DATA_DIR, logger: createLogger('silent') });
} catch (err) {
  const embedded = !config.MONGODB_URI;
  process.stderr.write(
    embedded
      ? `Cannot open the embedded database in ${config.DATA_DIR}: ${(err as Error).message}\nIf the service is running it holds these files: use GET /api/transcripts/export with the admin token, or stop the service first.\n`
      : `Cannot reach MongoDB: ${(err as Error).message}\n`,
  );
  process.exit(1);
}
try {
  const count = await exportTranscripts(storage.db, range, format, write, { holderOf: carrierHolders(carrier) });
  if (output !== process.stdout) await new Promise<void>((resolve, reject) => (output as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())));
  process.stderr.write(`exported ${count} conversation(s)\n`);
} finally {
  await storage.close();
}
