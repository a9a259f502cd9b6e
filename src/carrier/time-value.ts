/**
 * Time fields in fixtures and back-office answers: an ISO-8601 date-time with an offset, or an ISO-8601
 * duration relative to `now` ("PT3H" = in 3 hours, "-P2D" = 2 days ago). Durations exist because a demo
 * file with fixed dates goes stale: relative times keep its outages active and its orders overdue.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(
  String.raw`^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
  'i',
);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const TIME_VALUE_HINT =
  'must be an ISO-8601 date-time such as 2025-06-01T09:00:00+08:00, or a duration from load time such as PT3H or -P2D';

/** null when the text is neither form. */
export function parseTimeValue(text: string, now: Date): Date | null {
  const value = text.trim();
  return parseDateTime(value) ?? parseDuration(value, now);
}

function parseDateTime(value: string): Date | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second = '0'] = m.slice(1, 7).map(Number) as number[];
  // Date.parse rolls 2025-02-30 over to March instead of rejecting it.
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || +second > 59) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function parseDuration(value: string, now: Date): Date | null {
  const m = DURATION.exec(value);
  // "P" and "PT" match the pattern but name no amount.
  if (!m || /[PT]$/i.test(value)) return null;
  const [sign, years, months, weeks, days, hours, minutes, seconds] = m.slice(1);
  const direction = sign === '-' ? -1 : 1;
  const amount = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));

  const at = new Date(now.getTime());
  // Years and months have no fixed length, so they move the calendar rather than the clock.
  if (years || months) {
    at.setUTCFullYear(at.getUTCFullYear() + direction * amount(years), at.getUTCMonth() + direction * amount(months));
  }
  const ms =
    amount(weeks) * 7 * DAY_MS +
    amount(days) * DAY_MS +
    amount(hours) * HOUR_MS +
    amount(minutes) * 60_000 +
    amount(seconds) * 1000;
  return new Date(at.getTime() + direction * ms);
}
