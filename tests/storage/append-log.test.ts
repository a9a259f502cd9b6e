import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppendLog } from '../../src/storage/embedded/append-log.js';
import { silentLogger } from '../../src/storage/embedded/types.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'append-log-'));
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** The inode behind a descriptor, or 'closed' when the descriptor is no longer open. */
function inodeOf(fd: number): number | 'closed' {
  try {
    return fs.fstatSync(fd).ino;
  } catch {
    return 'closed';
  }
}

describe('AppendLog', () => {
  it('after a compaction, syncs the new file instead of the closed descriptor of the old one', async () => {
    const file = path.join(dir, 'c.db');
    const { log } = await AppendLog.open(file, silentLogger);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const synced: Array<number | 'closed'> = [];
    const realSync = fs.fdatasync;
    vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, done: fs.NoParamCallback) => {
      synced.push(inodeOf(fd));
      realSync(fd, done);
    }) as typeof fs.fdatasync);

    log.append([{ _id: 'a', d: '1' }]); // schedules a sync of the file as it is now
    await log.compact([{ _id: 'a', d: '1' }]); // replaces the file and its descriptor
    log.append([{ _id: 'b', d: '2' }]);
    vi.advanceTimersByTime(1_000);

    expect(synced).toEqual([fs.statSync(file).ino]);
    log.close();

    const { log: reopened, records } = await AppendLog.open(file, silentLogger);
    reopened.close();
    expect([...records.values()]).toEqual([
      { _id: 'a', d: '1' },
      { _id: 'b', d: '2' },
    ]);
  });
});
