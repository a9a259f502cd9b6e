/**
 * Child process for lock.test.ts: waits for "go" on stdin, tries to lock the data directory named
 * on the command line, prints "won" or "refused", then holds whatever it got until stdin closes.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { acquireDataDirLock } from '../../src/storage/embedded/lock.js';

const dir = process.argv[2] as string;
const lines = createInterface({ input: process.stdin });
console.log('ready');
await once(lines, 'line');
try {
  await acquireDataDirLock(dir);
  console.log('won');
} catch {
  console.log('refused');
}
await once(lines, 'close');
