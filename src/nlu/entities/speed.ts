import { z } from 'zod';
import { CHINESE_NUMERAL_CHARS, decodeChineseNumber } from './chinese-number.js';
import { alternation, normalizeWord, readEntityData } from './data-files.js';
import type { Candidate } from './types.js';

const SpeedData = z.object({
  units: z.record(z.string(), z.number().positive()),
  chineseNumeralUnits: z.record(z.string(), z.number().positive()),
  ambiguousAmounts: z.record(z.string(), z.array(z.number())),
  speedContextAfter: z.array(z.string().min(1)),
  notSpeedAfter: z.array(z.string().min(1)),
  notSpeedBefore: z.array(z.string().min(1)),
});
const data = SpeedData.parse(readEntityData('speed-units.json'));

/** Mbps per unit. "/s" byte units come from download clients (12MB/s = 96 Mbps); "kb"/"k" alone too. */
const MBPS_PER_UNIT = new Map(Object.entries(data.units).map(([u, f]) => [normalizeWord(u), f]));
const MBPS_PER_CN_UNIT = new Map(Object.entries(data.chineseNumeralUnits).map(([u, f]) => [normalizeWord(u), f]));
// A Latin unit must not run on into a word ("5mp4", "10gb" is a size, not the unit "g").
const unitPattern = (units: Iterable<string>): string =>
  `(${alternation([...units])})(?![a-z/])`;

const ARABIC = new RegExp(`(?<![0-9a-z.])(\\d+(?:\\.\\d+)?)\\s*${unitPattern(MBPS_PER_UNIT.keys())}`, 'g');
// Not after 几/多/数/上/好 ("几十兆", "上千兆" are estimates, not figures).
// "一兆二" / "两兆五" say 1.2 / 2.5, the way "一米二" says 1.2 m: one digit after 兆 is a tenth.
const CHINESE = new RegExp(
  `(?<![${CHINESE_NUMERAL_CHARS}几多数好上第])([${CHINESE_NUMERAL_CHARS}]+)\\s*${unitPattern(MBPS_PER_CN_UNIT.keys())}` +
    `(?:(?<=兆)([一二两三四五六七八九])(?![${CHINESE_NUMERAL_CHARS}兆]))?`,
  'g',
);
// "三四十兆", "五六百兆" are ranges; the decoder would turn them into one wrong number.
const ADJACENT_DIGITS = /[一二两三四五六七八九]{2}/;
const NOT_AFTER = new RegExp(`^\\s*(?:${alternation(data.notSpeedAfter.map(normalizeWord))})`);
const NOT_BEFORE = new RegExp(`(?:${alternation(data.notSpeedBefore.map(normalizeWord))})[^，。！？,!?]{0,3}$`);
const SPEED_AFTER = new RegExp(`^\\s*(?:${alternation(data.speedContextAfter.map(normalizeWord))})`);
const AMBIGUOUS = new Map(Object.entries(data.ambiguousAmounts).map(([u, list]) => [normalizeWord(u), new Set(list)]));

/** Speeds, as a number of Mbps (bits), from "20M", "二十兆", "千兆", "12MB/s", "500KB/s", "1G"… */
export function extractSpeeds(text: string): Candidate[] {
  const out: Candidate[] = [];
  const consider = (start: number, end: number, amount: number | undefined, unit: string, factor: number): void => {
    if (amount === undefined || !(amount > 0)) return;
    const after = text.slice(end, end + 8);
    const before = text.slice(Math.max(0, start - 8), start);
    // "5G手机", "2.4G的wifi", "4K电视": mobile generations, Wi-Fi bands and resolutions, unless
    // the customer says it of the broadband ("5G宽带").
    if (AMBIGUOUS.get(unit)?.has(amount) && !SPEED_AFTER.test(after)) return;
    // "2M的文件", "流量用了20M": sizes, not speeds.
    if (NOT_AFTER.test(after) || NOT_BEFORE.test(before)) return;
    const mbps = Math.round(amount * factor * 1000) / 1000;
    if (mbps <= 0) return;
    out.push({ type: 'speed_mbps', value: mbps, start, end, priority: 60 });
  };
  for (const m of text.matchAll(ARABIC)) {
    const unit = m[2]!;
    consider(m.index, m.index + m[0].length, Number(m[1]), unit, MBPS_PER_UNIT.get(unit)!);
  }
  for (const m of text.matchAll(CHINESE)) {
    const numeral = m[1]!;
    if (ADJACENT_DIGITS.test(numeral)) continue;
    const unit = m[2]!;
    const whole = decodeChineseNumber(numeral);
    // Only after a single digit ("一兆二"); "二十兆五" is not how people say 20.5.
    const hasTenth = m[3] !== undefined && numeral.length === 1;
    const tenth = hasTenth ? decodeChineseNumber(m[3]!)! / 10 : 0;
    const amount = whole === undefined ? undefined : whole + tenth;
    const end = m.index + m[0].length - (m[3] !== undefined && !hasTenth ? 1 : 0);
    consider(m.index, end, amount, unit, MBPS_PER_CN_UNIT.get(unit)!);
  }
  return out;
}
