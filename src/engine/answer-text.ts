/** Text helpers shared by the answer readers and the command matcher. */

/** Full-width → half-width, lower case, no spaces or punctuation: what customers' variants have in common. */
export function normalizeAnswer(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

const ASCII_WORD = /^[a-z0-9]+$/;

/** Chinese words match anywhere; ASCII words only as whole words, so "no" does not match "normal". */
export function containsWord(normalizedText: string, rawText: string, word: string): boolean {
  const w = word.normalize('NFKC').toLowerCase();
  if (!ASCII_WORD.test(w)) {
    const needle = normalizeAnswer(w);
    return needle.length > 0 && normalizedText.includes(needle);
  }
  return new RegExp(`(^|[^a-z0-9])${w}($|[^a-z0-9])`).test(rawText.normalize('NFKC').toLowerCase());
}

export function containsAny(normalizedText: string, rawText: string, words: readonly string[]): string | undefined {
  return words.find((w) => containsWord(normalizedText, rawText, w));
}

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "2", "２", "第二个", "选3", "三" → the 1-based option number; undefined when the message is not one. */
export function optionNumber(text: string): number | undefined {
  const m = /^(?:选|选择|第)?([1-9一二两三四五六七八九])(?:个|项|种|号)?$/.exec(normalizeAnswer(text));
  if (!m) return undefined;
  const d = m[1]!;
  return CHINESE_DIGITS[d] ?? Number(d);
}
