/**
 * The dashboard's periods are Asia/Shanghai calendar days. China has no daylight saving time, so a day
 * is always [00:00+08:00, next 00:00+08:00) and 24 hours long.
 */
export const STATS_TIMEZONE = 'Asia/Shanghai';
const OFFSET = '+08:00';
const OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 24 * 3600_000;
export const DEFAULT_DAYS = 7;
/** A quarter and a day: enough for any quarterly report, small enough to answer in a request. */
export const MAX_DAYS = 92;

export interface StatsRange {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

export function beijingDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00${OFFSET}`);
}

/** [since, until) of the whole range. */
export function bounds(range: StatsRange): { since: Date; until: Date } {
  return { since: dayStart(range.from), until: new Date(dayStart(range.to).getTime() + DAY_MS) };
}

export function daysOf(range: StatsRange): string[] {
  const { since, until } = bounds(range);
  const days: string[] = [];
  for (let at = since.getTime(); at < until.getTime(); at += DAY_MS) days.push(beijingDay(new Date(at)));
  return days;
}

function isDay(value: unknown): value is string {
  // The round trip refuses dates such as 2026-02-30 that Date would roll over.
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && beijingDay(dayStart(value)) === value;
}

/**
 * from/to of a request (default: the last 7 days up to today, or 7 days ending at `to`); a message
 * naming the fault when they are not usable.
 */
export function parseStatsRange(query: { from?: unknown; to?: unknown }, now = new Date()): StatsRange | string {
  const to = query.to ?? beijingDay(now);
  if (!isDay(to)) return `to must be a date as YYYY-MM-DD (got ${JSON.stringify(to)})`;
  const from = query.from ?? beijingDay(new Date(dayStart(to).getTime() - (DEFAULT_DAYS - 1) * DAY_MS));
  if (!isDay(from)) return `from must be a date as YYYY-MM-DD (got ${JSON.stringify(from)})`;
  const days = Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS) + 1;
  if (days < 1) return `from (${from}) is after to (${to})`;
  if (days > MAX_DAYS) return `the period may span at most ${MAX_DAYS} days (asked for ${days})`;
  return { from, to };
}

/**
 * The `$dateToString` expression that names the Beijing day of a date field, for $group keys. The fixed
 * offset means the same as Asia/Shanghai (no DST) and is 20× faster on the embedded server, which
 * resolves a zone name per document.
 */
export function dayOfField(field: string): Record<string, unknown> {
  return { $dateToString: { format: '%Y-%m-%d', date: `$${field}`, timezone: OFFSET } };
}
