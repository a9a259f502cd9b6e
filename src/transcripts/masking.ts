/**
 * Personal data out, typed placeholders in: the one masking step used wherever customer text leaves
 * the transcript store (exports, the review page, the training corpus, logs). Measured on
 * tests/fixtures/pii/messages.jsonl (see tests/transcripts/masking.test.ts).
 *
 * Patterns run on a width-folded copy (full-width digits and letters read as ASCII, one character for
 * one, so offsets agree) and the spans found are replaced in the original text. Earlier rules win an
 * overlap: an 18-digit ID is never half-read as a phone number, an e-mail never as an account.
 */

export const PLACEHOLDERS = {
  email: '<EMAIL>',
  id: '<ID>',
  bankCard: '<BANK_CARD>',
  phone: '<PHONE>',
  landline: '<LANDLINE>',
  account: '<ACCOUNT>',
  address: '<ADDRESS>',
  name: '<NAME>',
} as const;

export type PiiType = keyof typeof PLACEHOLDERS;

export interface KnownPerson {
  /** The account holder's name when the back office told us (several when the customer named several accounts); masked wherever it appears. */
  holder?: string | readonly string[] | undefined;
}

interface Rule {
  /** 'keep' claims a span that looks personal but is not (an order number), so later rules leave it alone. */
  type: PiiType | 'keep';
  pattern: RegExp;
  /** The capture group holding the personal part (the rest is context, e.g. "我叫"); 0 = the whole match. */
  group?: number;
  /** A last check on the matched part, for what a regular expression says badly (a digit count). */
  accept?: (part: string) => boolean;
}

const digitCount = (part: string) => part.replace(/\D/g, '').length;

const HAN_NUMBER = '[\\d一二三四五六七八九十百千零〇两]';
// 门 is Beijing's entrance number: 312号楼2门1603.
const ADDRESS_UNIT = '(?:号楼|号院|号|幢|栋|座|单元|门|室|层|楼|弄|组)';
/** Further numbers of the same address: 3栋2单元501室, B座1203. */
const MORE_UNITS = `(?:\\s*(?:[A-Za-z]?${HAN_NUMBER}+(?:${ADDRESS_UNIT})?|[A-Za-z](?:座|栋|幢|区)))*`;
const BUILDING_UNIT = '(?:号楼|号院|幢|栋|座|单元|室|弄)';
/** A street, estate or village name. */
const PLACE = '[\\u4e00-\\u9fa5A-Za-z]{1,10}(?:路|街|巷|大道|道|村|小区|花园|家园|苑|里|大厦|广场|公寓|新村|社区)';
/** Words before an address that belong to the sentence, not to the address (地址是…, 我家住…). */
const ADDRESS_LEAD = /^(?:装机|安装|我家|家庭|家里|家)?(?:地址|住址)?(?:是|为|在|住)?/;

const RULES: readonly Rule[] = [
  // Payment and order references are long digit strings too; after their label they are not cards.
  { type: 'keep', pattern: /(?:订单|流水|交易|支付)(?:单)?号\s*(?:是|为|:|：)?\s*\d{8,40}/g },
  { type: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g },
  {
    type: 'id',
    // Read aloud or copied from the card it is often grouped 6-8-4: 330102 19880808 1234.
    pattern: /(?<![\dA-Za-z])[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx](?![\dA-Za-z])/g,
  },
  // 16–19 digits, possibly grouped by spaces or hyphens in fours or 6-4-4-4 (an ID has gone already).
  {
    type: 'bankCard',
    pattern: /(?<![\dA-Za-z.])\d{4,6}(?:[ -]?\d{1,6}){1,4}(?![\d.])/g,
    accept: (part) => digitCount(part) >= 16 && digitCount(part) <= 19,
  },
  // 138 1234 5678, 138-1234-5678, 138.1234.5678, +86 / 0086 / 86- in front.
  { type: 'phone', pattern: /(?<![\dA-Za-z.])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ .-]?\d{4}){2}(?![\d.])/g },
  { type: 'landline', pattern: /(?<![\dA-Za-z.])(?:\(0\d{2,3}\)|0\d{2,3})[ -]?\d{3,4}[ -]?\d{4}(?![\d.])/g },
  // A local number without its area code only counts when it is said to be a telephone (10086 is too short).
  {
    type: 'landline',
    pattern: /(?:座机|固话|固定电话|家里电话|家庭电话|单位电话|电话)(?:号码|号)?\s*(?:是|为|:|：)?\s*(\d{4}[ -]?\d{4}|\d{3}[ -]?\d{4})(?![\d.])/g,
    group: 1,
  },
  // After "账号" any login name counts, whatever its shape.
  { type: 'account', pattern: /(?:宽带|上网|拨号)?账号\s*(?:是|为|:|：)?\s*([A-Za-z0-9][A-Za-z0-9@._-]{4,31})(?![A-Za-z0-9@_-])/g, group: 1 },
  // The carrier's ids: 2–4 letters and 6–12 digits (ticket numbers KD20261123-0001 and provisional
  // references KDP20261123-X7K2MN are not).
  { type: 'account', pattern: /(?<![A-Za-z\d])[A-Za-z]{2,4}\d{6,12}(?![\dA-Za-z]|-[\dA-Za-z])/g },
  {
    // A street, estate or village name, then numbers with their units: 建国路88号3栋2单元501室, 阳光小区5号楼1单元302.
    type: 'address',
    pattern: new RegExp(`(?<![月日])${PLACE}(?:${HAN_NUMBER}+期)?[A-Za-z]?${HAN_NUMBER}+${ADDRESS_UNIT}${MORE_UNITS}`, 'g'),
  },
  // Building-unit-room shorthand, with or without the estate: 绿城小区3-2-501, 我家是7-1-302.
  { type: 'address', pattern: new RegExp(`(?<![月日])(?:${PLACE})?(?<![\\d-])\\d{1,3}-\\d{1,2}-\\d{3,4}(?![\\d-])`, 'g') },
  {
    // Without a place name only a building, unit or room counts (a bare "2号" is usually a date, "3楼" a floor).
    type: 'address',
    pattern: new RegExp(
      `(?<![月日\\d])(?:(?:[A-Za-z]?${HAN_NUMBER}+号\\s*)?[A-Za-z]?${HAN_NUMBER}+${BUILDING_UNIT}|(?<![A-Za-z])[A-Za-z](?:座|栋|幢)(?=\\s*\\d))${MORE_UNITS}`,
      'g',
    ),
  },
  { type: 'address', pattern: /门牌号?\s*(?:是|为|:|：)?\s*\d+号?/g },
  // A customer introducing themselves: 我叫张伟, 姓名是刘洋, 机主姓名是…
  { type: 'name', pattern: /(?:我叫|名字叫|姓名\s*(?:是|为|:|：)?|机主(?:姓名)?(?:是|为|:|：)|户主(?:是|为|:|：))\s*([\u4e00-\u9fa5]{2,4}?)(?=[，。,.!！?？\s]|$|的)/g, group: 1 },
];

/** Full-width ASCII (digits, letters, ＠, （）…) and the ideographic space read as their ASCII twins, one for one. */
function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

interface Span<T = PiiType> {
  start: number;
  end: number;
  type: T;
}

/**
 * Every rule needs a digit (Arabic, full-width or Chinese), an @ or one of these words; most log strings
 * ("request", "/api/messages") have none and skip the rules, which keeps masking every log line cheap.
 */
const MAY_HOLD_PII = /[\d\uFF10-\uFF19一二三四五六七八九十百千零〇两@\uFF20]|账号|我叫|名字叫|姓名|机主|户主|门牌/;

/** Where the personal data is, by type; spans do not overlap. */
export function findPersonalData(text: string, known: KnownPerson = {}): Span[] {
  if (!known.holder?.length && !MAY_HOLD_PII.test(text)) return [];
  const folded = foldWidth(text);
  const spans: Array<Span<PiiType | 'keep'>> = [];
  const free = (start: number, end: number) => spans.every((s) => end <= s.start || start >= s.end);
  const take = (start: number, end: number, type: PiiType | 'keep') => {
    if (end > start && free(start, end)) spans.push({ start, end, type });
  };
  for (const rule of RULES) {
    for (const m of folded.matchAll(rule.pattern)) {
      const part = m[rule.group ?? 0];
      if (!part || (rule.accept && !rule.accept(part))) continue;
      let start = m.index + (rule.group ? m[0].lastIndexOf(part) : 0);
      if (rule.type === 'address') start += ADDRESS_LEAD.exec(part)?.[0].length ?? 0;
      take(start, m.index + (rule.group ? m[0].lastIndexOf(part) : 0) + part.length, rule.type);
    }
  }
  const holders = typeof known.holder === 'string' ? [known.holder] : (known.holder ?? []);
  for (const form of holders.flatMap(holderForms)) {
    for (let at = folded.indexOf(form); at !== -1; at = folded.indexOf(form, at + form.length)) take(at, at + form.length, 'name');
  }
  return spans.filter((s): s is Span => s.type !== 'keep').sort((a, b) => a.start - b.start);
}

/** The holder's full name, and their surname with a courtesy title (王先生, 欧阳女士). */
function holderForms(holder: string | undefined): string[] {
  const name = holder?.trim();
  if (!name || name.length < 2 || name.includes('*')) return [];
  const surname = name.length >= 4 ? name.slice(0, 2) : name.slice(0, 1);
  return [name, ...['先生', '女士', '小姐', '师傅', '阿姨', '大爷'].map((title) => surname + title)];
}

export function maskText(text: string, known: KnownPerson = {}): string {
  let masked = '';
  let at = 0;
  for (const span of findPersonalData(text, known)) {
    masked += text.slice(at, span.start) + PLACEHOLDERS[span.type];
    at = span.end;
  }
  return masked + text.slice(at);
}
