import { readFileSync } from 'node:fs';
import { CarrierConfigError } from './errors.js';
import { fixturesSchema, type Fixtures } from './fixtures-schema.js';
import { issueLine } from './issue-line.js';

/**
 * Fixtures file format (written by hand and by other tools):
 *   {"accounts":[…], "outages":[…], "orders":[…], "blockedSites":[…], "egressFaults":[…], "authErrors":[…]}
 * Every top-level key is optional (missing = empty); unknown keys are errors, so a typo cannot silently
 * empty a list. Time fields (outages/egressFaults[].estimatedRecovery, orders[].createdAt/promisedBy,
 * authErrors[].at) take either an ISO-8601 date-time with an offset ("2025-06-01T09:00:00+08:00") or an
 * ISO-8601 duration relative to the moment the file is loaded ("PT3H" = in 3 hours, "-P2D" = 2 days ago),
 * so a demo file never goes stale. The file is read once; nothing reloads it at run time.
 * A bad file throws CarrierConfigError with one line, e.g.
 *   CARRIER_FIXTURES: accounts[2].status must be one of active, arrears, suspended
 */
export function parseFixtures(raw: unknown, now: Date, source = 'CARRIER_FIXTURES'): Fixtures {
  const result = fixturesSchema(now).safeParse(raw);
  if (result.success) return result.data;
  throw new CarrierConfigError(`${source}: ${issueLine(result.error.issues)}`);
}

export function loadFixturesFile(path: string, now: Date, source = 'CARRIER_FIXTURES'): Fixtures {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CarrierConfigError(`${source}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    // Editors on Windows save UTF-8 with a BOM, which JSON.parse rejects.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CarrierConfigError(`${source}: ${path} is not valid JSON (${(error as Error).message})`);
  }
  return parseFixtures(raw, now, source);
}
