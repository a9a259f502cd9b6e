import { promises as fs } from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'embedded-mongo.lock';
/** Directories held by servers in this process; the pid in the file cannot tell those apart. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two servers appending to the same files would corrupt them, so a data directory is owned by one
 * server at a time. A lock left behind by a killed process (kill -9) is stale once its pid is gone.
 */
export async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(dataDir);
  if (heldHere.has(dir)) throw new Error(`embedded MongoDB data directory ${dir} is already in use by this process`);
  const file = path.join(dir, LOCK_FILE);
  try {
    const owner = Number.parseInt(await fs.readFile(file, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new Error(`embedded MongoDB data directory ${dir} is in use by process ${owner} (remove ${file} if that is wrong)`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  heldHere.add(dir);
  await fs.writeFile(file, String(process.pid));
  return async () => {
    heldHere.delete(dir);
    await fs.rm(file, { force: true });
  };
}
