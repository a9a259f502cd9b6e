import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { createLogger, type Logger } from '../logger.js';
import { ticketRequestSchema, type TicketRequest } from './request.js';

const entrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queued'), at: z.string(), request: ticketRequestSchema }),
  z.object({ type: z.literal('done'), at: z.string(), requestId: z.string(), number: z.string() }),
]);

type Entry = z.infer<typeof entrySchema>;

export interface OutboxContents {
  /** Queued and not yet written to the database, oldest first. */
  pending: TicketRequest[];
  /**
   * Lines that could not be read: a write torn by a crash, or a hand edit. They can never be
   * replayed, so compact() moves them to the `.bad.jsonl` file next to the outbox for a human.
   */
  unreadable: string[];
}

/**
 * Ticket requests that could not be written while storage was down, in an append-only JSON-lines
 * file: a "queued" line when the request is taken, a "done" line once it is in the database. Each
 * queued line is flushed to disk before the customer is told their complaint is recorded.
 * One process owns the file (it lives under that node's DATA_DIR); the in-process queue below
 * serialises appends with the compaction that empties the file once everything is done.
 */
export class TicketOutbox {
  private queue: Promise<unknown> = Promise.resolve();
  /** `ticket-outbox.bad.jsonl` beside `ticket-outbox.jsonl`. */
  private readonly badFile: string;

  constructor(
    readonly file: string,
    private readonly logger: Logger = createLogger('silent'),
  ) {
    this.badFile = join(dirname(file), `${basename(file, '.jsonl')}.bad.jsonl`);
  }

  append(request: TicketRequest, at: Date): Promise<void> {
    return this.exclusive(() => this.write({ type: 'queued', at: at.toISOString(), request }));
  }

  markDone(requestId: string, number: string, at: Date): Promise<void> {
    return this.exclusive(() => this.write({ type: 'done', at: at.toISOString(), requestId, number }));
  }

  read(): Promise<OutboxContents> {
    return this.exclusive(() => this.load());
  }

  /**
   * Empties the file when nothing in it is pending, so it does not grow forever. Unreadable lines
   * are moved aside first: kept in the outbox they would stop it from ever being emptied, and every
   * flush would replay the whole file again.
   */
  compact(): Promise<boolean> {
    return this.exclusive(async () => {
      const { pending, unreadable } = await this.load();
      if (pending.length) return false;
      if (unreadable.length) await this.setAside(unreadable);
      await truncate(this.file, 0).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      return true;
    });
  }

  /**
   * Durable in the bad file before the outbox is emptied; a crash in between only copies the lines
   * there twice. The lines may hold a customer's details, so the log names the file, not the content.
   */
  private async setAside(lines: string[]): Promise<void> {
    const handle = await open(this.badFile, 'a');
    try {
      await handle.appendFile(lines.map((line) => `${line}\n`).join(''), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.logger.warn({ count: lines.length, file: this.badFile }, 'unreadable ticket outbox lines moved aside for review');
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(entry: Entry): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a+');
    try {
      const { size } = await handle.stat();
      let separator = '';
      if (size > 0) {
        // A crash mid-write can leave a line without its newline; never glue the next entry onto it.
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) separator = '\n';
      }
      await handle.appendFile(`${separator}${JSON.stringify(entry)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async load(): Promise<OutboxContents> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { pending: [], unreadable: [] };
      throw err;
    }
    const queued = new Map<string, TicketRequest>();
    const done = new Set<string>();
    const unreadable: string[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const entry = parseLine(line);
      if (!entry) unreadable.push(line);
      else if (entry.type === 'done') done.add(entry.requestId);
      else if (!queued.has(entry.request.requestId)) queued.set(entry.request.requestId, entry.request);
    }
    return { pending: [...queued.values()].filter((r) => !done.has(r.requestId)), unreadable };
  }
}

function parseLine(line: string): Entry | undefined {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
