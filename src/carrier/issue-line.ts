import type { z } from 'zod';

/** accounts[2].status — the way a person reading the JSON file would point at the value. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * One line for a failed validation: the first problem, with a count of the rest, so start-up logs stay
 * readable and the writer fixes things one at a time.
 */
export function issueLine(issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0];
  if (!first) return 'is invalid';
  const where = formatPath(first.path);
  let line: string;
  if (first.code === 'unrecognized_keys') {
    const keys = first.keys.map((k) => `"${k}"`).join(', ');
    line = `${where || 'the top level'} has unknown field${first.keys.length > 1 ? 's' : ''} ${keys}`;
  } else {
    line = where ? `${where} ${first.message}` : first.message;
  }
  const more = issues.length - 1;
  return more > 0 ? `${line} (and ${more} more problem${more > 1 ? 's' : ''})` : line;
}
