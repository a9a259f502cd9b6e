import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repairTornTail } from './file-repair.js';
import type { EmbeddedLogger } from './types.js';

/** One line of the file: nedb's datafile format, so the files stay readable by nedb itself. */
export interface LogRecord {
  _id: string;
  [field: string]: unknown;
}

const TEMP_SUFFIX = '~';
/** Bound the window an OS crash / power loss could lose; kill -9 loses nothing either way. */
const SYNC_DELAY_MS = 1000;

/**
 * Append-only persistence for one collection, following nedb's approach: every insert/update is a
 * full record line, a delete is a `{"$$deleted":true,"_id":…}` tombstone, the last line for an _id
 * wins, and the file is rewritten ("compacted") crash-safely on open, on close and when it bloats.
 *
 * Appends are synchronous writes on a descriptor kept open: once append() returns, the bytes are in
 * the kernel and survive the process being killed. A small write costs ~1 µs this way, while an
 * asynchronous open/write/close (what nedb does per write) costs several thread-pool round trips.
 */
export class AppendLog {
  private fd: number;
  /** File length after the last complete append; a failed write is cut back to it. */
  private size: number;
  private syncTimer: NodeJS.Timeout | undefined;
  /** Set when the descriptor may point at a replaced file; appending then would silently lose data. */
  private broken: Error | undefined;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
  }

  /** Load the live records (in file order) and leave the file compacted. */
  static async open(file: string, logger: EmbeddedLogger): Promise<{ log: AppendLog; records: Map<string, LogRecord> }> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const temp = file + TEMP_SUFFIX;
    if (!fs.existsSync(file) && fs.existsSync(temp)) {
      // A compaction got as far as writing the temp file; it is complete (it was fsynced before the rename).
      await fs.promises.rename(temp, file);
    }
    await repairTornTail(file, logger);
    const records = await readRecords(file);
    await writeCrashSafe(file, records.values());
    const log = new AppendLog(file, fs.openSync(file, 'a'));
    return { log, records };
  }

  append(records: Array<LogRecord | { $$deleted: true; _id: string }>): void {
    if (!records.length) return;
    if (this.broken) throw this.broken;
    const buf = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    let written = 0;
    try {
      while (written < buf.length) written += fs.writeSync(this.fd, buf, written);
    } catch (err) {
      // Never leave half a line behind: later appends would be glued onto it and the file would no longer load.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        // The original error is the one worth reporting.
      }
      throw err;
    }
    this.size += buf.length;
    this.scheduleSync();
  }

  /** Rewrite the file with only the live records, then continue appending to the new file. */
  async compact(records: Iterable<LogRecord>): Promise<void> {
    await writeCrashSafe(this.file, records);
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'a');
    } catch (err) {
      this.broken = new Error(`cannot reopen ${this.file} after compaction: ${(err as Error).message}`);
      throw this.broken;
    }
    fs.closeSync(this.fd);
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
    // Everything appended so far is in the rewritten file, which was fsynced. A pending sync would
    // aim at the closed descriptor (or at whatever file reuses its number), and while it is pending
    // no sync gets scheduled for the appends that follow, so it is dropped here.
    this.cancelSync();
  }

  close(): void {
    this.cancelSync();
    fs.closeSync(this.fd);
  }

  async remove(): Promise<void> {
    this.close();
    await fs.promises.rm(this.file, { force: true });
    await fs.promises.rm(this.file + TEMP_SUFFIX, { force: true });
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      // Best effort: an error here cannot be reported to any writer, and the next append retries.
      fs.fdatasync(this.fd, () => undefined);
    }, SYNC_DELAY_MS);
    this.syncTimer.unref();
  }

  private cancelSync(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
  }
}

async function readRecords(file: string): Promise<Map<string, LogRecord>> {
  const records = new Map<string, LogRecord>();
  if (!fs.existsSync(file)) return records;
  const lines = createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      // Only the last line can be torn by a crash, and that was repaired; this is real damage.
      throw new Error(`${file}: line ${lineNo} is not valid JSON; refusing to load (and compact away) damaged data`);
    }
    const rec = parsed as Partial<LogRecord> & { $$deleted?: unknown };
    if (typeof rec._id !== 'string') continue; // nedb index bookkeeping lines carry no _id
    if (rec.$$deleted === true) records.delete(rec._id);
    else records.set(rec._id, rec as LogRecord); // an update keeps the record's place, as in memory
  }
  return records;
}

/** Write to `<file>~`, fsync it, rename over `<file>`, fsync the directory (nedb's crash-safe write). */
async function writeCrashSafe(file: string, records: Iterable<LogRecord>): Promise<void> {
  const temp = file + TEMP_SUFFIX;
  const handle = await fs.promises.open(temp, 'w');
  try {
    let chunk: string[] = [];
    for (const r of records) {
      chunk.push(`${JSON.stringify(r)}\n`);
      if (chunk.length >= 1000) {
        await handle.write(chunk.join(''));
        chunk = [];
      }
    }
    if (chunk.length) await handle.write(chunk.join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, file);
  await syncDirectory(path.dirname(file));
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}
