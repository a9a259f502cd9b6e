import nzhcn from 'nzh/cn';

/** Characters of a plain Simplified-Chinese numeral as customers write speeds ("两百", "一点五"). */
export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万点';

const ONLY_NUMERAL = new RegExp(`^[${CHINESE_NUMERAL_CHARS}]+$`);
// "一百五" means 150 and "两千五" 2500 in speech; nzh reads them as 105 and 2005.
const COLLOQUIAL_TAIL = /^([一二三四五六七八九])([百千万])([一二三四五六七八九])$/;
const UNIT_VALUE: Record<string, number> = { 百: 100, 千: 1000, 万: 10000 };

/**
 * Decodes a Chinese numeral with nzh, guarding against what nzh does silently (measured with
 * nzh 1.0.14, see tests/nlu/entities.test.ts): it skips every character it does not know, so
 * "一兆二" becomes 12 and "两百" becomes 0 (两 is unknown); it has no 兆 unit at all. So the
 * caller strips the unit, and here only known numeral characters get through, 两 becomes 二,
 * and a 0 that was not written as 零 counts as "not a number".
 */
export function decodeChineseNumber(raw: string): number | undefined {
  if (!ONLY_NUMERAL.test(raw)) return undefined;
  const text = raw.replace(/两/g, '二').replace(/〇/g, '零');
  const colloquial = COLLOQUIAL_TAIL.exec(text);
  if (colloquial) {
    const unit = UNIT_VALUE[colloquial[2]!]!;
    return digitOf(colloquial[1]!) * unit + (digitOf(colloquial[3]!) * unit) / 10;
  }
  // nzh's typings say string; at run time decodeS returns a number. Number() accepts both.
  const value = Number(nzhcn.decodeS(text));
  if (!Number.isFinite(value)) return undefined;
  if (value === 0 && !text.includes('零')) return undefined;
  return value;
}

function digitOf(ch: string): number {
  return '零一二三四五六七八九'.indexOf(ch);
}
