/**
 * Personal data out, typed placeholders in: the one masking step used wherever customer text leaves
 * the transcript store (training exports, the review page, logs). Order matters: longer and more
 * specific patterns first, so an 18-digit ID is not half-read as a phone number.
 */

export const PLACEHOLDERS = {
  id: '<ID>',
  bankCard: '<BANK_CARD>',
  phone: '<PHONE>',
  landline: '<LANDLINE>',
  account: '<ACCOUNT>',
  email: '<EMAIL>',
  address: '<ADDRESS>',
  name: '<NAME>',
} as const;

export interface KnownPerson {
  /** The account holder's name when the back office told us; masked wherever it appears. */
  holder?: string;
}

const RULES: ReadonlyArray<{ pattern: RegExp; placeholder: string }> = [
  { pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, placeholder: PLACEHOLDERS.email },
  { pattern: /(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g, placeholder: PLACEHOLDERS.id },
  { pattern: /(?<!\d)(?:\d{4}[ -]?){3}\d{4}(?:\d{3})?(?!\d)/g, placeholder: PLACEHOLDERS.bankCard },
  { pattern: /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g, placeholder: PLACEHOLDERS.phone },
  { pattern: /(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)/g, placeholder: PLACEHOLDERS.landline },
  { pattern: /(?<![A-Za-z\d])ad\d{6,}(?!\d)/gi, placeholder: PLACEHOLDERS.account },
  {
    // 门牌号 / 单元 / 室 and the street or estate in front of them.
    pattern: /[\u4e00-\u9fa5A-Za-z\d]{0,12}(?:路|街|巷|道|村|小区|花园|苑|大厦)?[\d一二三四五六七八九十百]+(?:号楼?|幢|栋|单元|室|层|楼)(?:[\d一二三四五六七八九十百-]+(?:号楼?|幢|栋|单元|室|层|楼))*/g,
    placeholder: PLACEHOLDERS.address,
  },
];

export function maskText(text: string, known: KnownPerson = {}): string {
  let masked = text;
  for (const { pattern, placeholder } of RULES) masked = masked.replace(pattern, placeholder);
  const holder = known.holder?.trim();
  if (holder && holder.length >= 2) masked = masked.split(holder).join(PLACEHOLDERS.name);
  return masked;
}
