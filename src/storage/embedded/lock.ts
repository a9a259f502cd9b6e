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

/** The pid a lock file names, or undefined when the file is gone or names no pid. */
async function ownerOf(file: string): Promise<number | undefined> {
  try {
    const owner = Number.parseInt(await fs.readFile(file, 'utf8'), 10);
    return Number.isInteger(owner) ? owner : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * A lock held by our own pid but not listed in heldHere was left by an earlier process that had
 * the same pid (containers restart with the same low pids), so it is stale like a dead one.
 */
function ownerIsLive(owner: number | undefined): owner is number {
  return owner !== undefined && owner !== process.pid && isAlive(owner);
}

/**
 * Creates the lock file already holding our pid, or returns false if it exists. The pid goes into
 * a private file that is then hard-linked into place: link() fails atomically when the name is
 * taken, and nobody can ever read a lock file that is empty because its pid is not written yet.
 */
async function tryCreate(file: string): Promise<boolean> {
  const mine = `${file}.${process.pid}`;
  await fs.writeFile(mine, String(process.pid));
  try {
    await fs.link(mine, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.rm(mine, { force: true });
  }
}

function inUse(dir: string, file: string, owner: number | undefined): Error {
  const who = owner === undefined ? 'another process' : `process ${owner}`;
  return new Error(`embedded MongoDB data directory ${dir} is in use by ${who} (remove ${file} if that is wrong)`);
}

/**
 * Replaces a stale lock by ours. Unlinking it by name is only safe for one process at a time: a
 * second starter that read the same dead pid would otherwise unlink the lock the first one has
 * just created, and both would run. So the stale lock is broken only while holding `<lock>.break`,
 * and its owner is read again under it.
 */
async function takeOverStale(dir: string, file: string): Promise<void> {
  const breaker = `${file}.break`;
  if (!(await tryCreate(breaker))) {
    const other = await ownerOf(breaker);
    if (ownerIsLive(other)) throw inUse(dir, file, other);
    // Left by a process that died while taking over (a window of microseconds): clear it, retry once.
    await fs.rm(breaker, { force: true });
    if (!(await tryCreate(breaker))) throw inUse(dir, file, await ownerOf(breaker));
  }
  try {
    // Only a holder of the breaker removes a dead owner's lock, so it cannot change between here and rm.
    const owner = await ownerOf(file);
    if (ownerIsLive(owner)) throw inUse(dir, file, owner);
    await fs.rm(file, { force: true });
    // Retried once: failing now means a starter that found no lock at all created one meanwhile.
    if (!(await tryCreate(file))) throw inUse(dir, file, await ownerOf(file));
  } finally {
    await fs.rm(breaker, { force: true });
  }
}

/**
 * Two servers appending to the same files would corrupt them, so a data directory is owned by one
 * server at a time. A lock left behind by a killed process (kill -9) is stale once its pid is gone.
 */
export async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(dataDir);
  if (heldHere.has(dir)) throw new Error(`embedded MongoDB data directory ${dir} is already in use by this process`);
  // Claimed before the first await, so two servers starting together in this process cannot both pass.
  heldHere.add(dir);
  const file = path.join(dir, LOCK_FILE);
  try {
    if (!(await tryCreate(file))) {
      const owner = await ownerOf(file);
      if (ownerIsLive(owner)) throw inUse(dir, file, owner);
      await takeOverStale(dir, file);
    }
  } catch (err) {
    heldHere.delete(dir);
    throw err;
  }
  return async () => {
    heldHere.delete(dir);
    await fs.rm(file, { force: true });
  };
}
