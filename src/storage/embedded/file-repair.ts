import { promises as fs } from 'node:fs';
import type { EmbeddedLogger } from './types.js';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Every append ends with '\n', so a file that does not end with one was cut short by a crash in the
 * middle of an append. That append was never acknowledged, so dropping the partial line is correct -
 * and necessary, because the loader refuses files with unparseable lines rather than guess.
 */
export async function repairTornTail(file: string, logger: EmbeddedLogger): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === NEWLINE) return;
    let end = size;
    let keep = 0;
    while (end > 0) {
      const start = Math.max(0, end - CHUNK);
      const buf = Buffer.alloc(end - start);
      await handle.read(buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(NEWLINE);
      if (nl >= 0) {
        keep = start + nl + 1;
        break;
      }
      end = start;
    }
    await handle.truncate(keep);
    await handle.sync();
    logger.warn({ file, droppedBytes: size - keep }, 'dropped a torn, never-acknowledged last line');
  } finally {
    await handle.close();
  }
}
