/**
 * Masking measured on realistic complaint messages (tests/fixtures/pii/messages.jsonl, and holdout.jsonl,
 * written after the rules and kept apart so the figures are not only those of the set the rules were
 * tuned on): every annotated piece of personal data of the listed types must be gone (recall 100 % per
 * type), and the look-alikes the desk needs (speeds, error codes, ticket numbers, dates, hotlines,
 * router models) must stay.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPersonalData, maskText, PLACEHOLDERS, type PiiType } from '../../src/transcripts/masking.js';

interface Annotated {
  text: string;
  pii: Array<{ type: string; value: string }>;
  holder?: string;
  keep?: string[];
}

const read = (file: string): Annotated[] =>
  readFileSync(new URL(`../fixtures/pii/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Annotated);
const SET = read('messages.jsonl');

/** The annotation's type names → the masker's. */
const TYPE_OF: Record<string, PiiType> = {
  phone: 'phone',
  landline: 'landline',
  id: 'id',
  bank_card: 'bankCard',
  email: 'email',
  account: 'account',
  address: 'address',
  name: 'name',
};

/**
 * What must not survive of an annotated piece: every character of a name; of the other types every
 * digit and letter (a street name left beside a masked house number identifies nobody).
 */
const mustGo = (type: string, c: string) => type === 'name' || /[\p{N}\p{Script=Latin}@＠]/u.test(c);

/** The annotation's type names → the placeholder the masker must put there. */
const PLACEHOLDER_OF: Record<string, string> = {
  phone: PLACEHOLDERS.phone,
  landline: PLACEHOLDERS.landline,
  id: PLACEHOLDERS.id,
  bank_card: PLACEHOLDERS.bankCard,
  email: PLACEHOLDERS.email,
  account: PLACEHOLDERS.account,
  address: PLACEHOLDERS.address,
  name: PLACEHOLDERS.name,
};

describe('the measurement set', () => {
  it('holds realistic messages of every listed type and look-alikes', () => {
    const types = new Set(SET.flatMap((m) => m.pii.map((p) => p.type)));
    expect([...types].sort()).toEqual(Object.keys(PLACEHOLDER_OF).sort());
    expect(SET.length).toBeGreaterThanOrEqual(150);
    expect(SET.filter((m) => m.pii.length === 0).length).toBeGreaterThanOrEqual(30);
  });
});

describe.each(['messages.jsonl', 'holdout.jsonl'])('masking on %s', (file) => {
  const SET = read(file);

  it('finds every piece of personal data (recall 100 % per type) and says what it was', () => {
    const found: Record<string, { total: number; masked: number }> = {};
    const misses: string[] = [];
    for (const message of SET) {
      const spans = findPersonalData(message.text, { holder: message.holder });
      const from: Record<string, number> = {};
      for (const { type, value } of message.pii) {
        const tally = (found[type] ??= { total: 0, masked: 0 });
        tally.total += 1;
        // The same value twice in a message is two pieces, each found where it stands.
        const start = message.text.indexOf(value, from[value] ?? 0);
        from[value] = start + value.length;
        const covered = (i: number) => spans.some((s) => s.type === TYPE_OF[type] && s.start <= i && i < s.end);
        const leaked = Array.from(value).filter((c, i) => mustGo(type, c) && !covered(start + i));
        if (start >= 0 && leaked.length === 0) tally.masked += 1;
        else misses.push(`${type} ${JSON.stringify(value)}: ${JSON.stringify(leaked.join(''))} left in ${JSON.stringify(maskText(message.text, { holder: message.holder }))}`);
      }
    }
    console.info(
      `${file} recall per type:`,
      Object.entries(found)
        .map(([type, t]) => `${type} ${t.masked}/${t.total}`)
        .join(', '),
    );
    expect(misses).toEqual([]);
  });

  it('keeps what is not personal: precision per type over the set', () => {
    // A placeholder of a type is right when the message has that many pieces of that type annotated;
    // every placeholder beyond that is a false positive of its type.
    const tally: Record<string, { placed: number; right: number }> = {};
    const damaged: string[] = [];
    for (const message of SET) {
      const masked = maskText(message.text, { holder: message.holder });
      for (const [type, placeholder] of Object.entries(PLACEHOLDER_OF)) {
        const placed = masked.split(placeholder).length - 1;
        const expected = message.pii.filter((p) => p.type === type).length;
        const t = (tally[type] ??= { placed: 0, right: 0 });
        t.placed += placed;
        t.right += Math.min(placed, expected);
        if (placed > expected) damaged.push(`${type}: ${JSON.stringify(masked)}`);
      }
      for (const keep of message.keep ?? []) if (!masked.includes(keep)) damaged.push(`kept ${JSON.stringify(keep)} in ${JSON.stringify(masked)}`);
    }
    const placed = Object.values(tally).reduce((n, t) => n + t.placed, 0);
    const right = Object.values(tally).reduce((n, t) => n + t.right, 0);
    console.info(
      `${file} precision ${((right / Math.max(placed, 1)) * 100).toFixed(1)} % (${right} of ${placed} placeholders right); per type:`,
      Object.entries(tally)
        .map(([type, t]) => `${type} ${t.right}/${t.placed}`)
        .join(', '),
    );
    expect(damaged).toEqual([]);
  });
});

describe('masking, case by case', () => {
  const table: Array<[text: string, holder: string | undefined, masked: string]> = [
    ['电话１３８１２３４５６７８，快修', undefined, '电话<PHONE>，快修'],
    ['身份证44030519851212301X', undefined, '身份证<ID>'],
    ['工单号KD20261123-0001怎么还没处理', undefined, '工单号KD20261123-0001怎么还没处理'],
    ['11月2号报修的，300M只有20M', undefined, '11月2号报修的，300M只有20M'],
    ['打了12315和10086都没用', undefined, '打了12315和10086都没用'],
    ['王先生您好，王小明是我爸', '王小明', '<NAME>您好，<NAME>是我爸'],
    ['机主是欧**娜', '欧**娜', '机主是欧**娜'],
    ['账号：chen-family88，地址幸福里小区3幢201室', undefined, '账号：<ACCOUNT>，地址<ADDRESS>'],
    ['身份证330102 19880808 1234', undefined, '身份证<ID>'],
    ['退到621700 1234 5678 9012', undefined, '退到<BANK_CARD>'],
    ['订单号202611231234567890退款了吗', undefined, '订单号202611231234567890退款了吗'],
    ['临时编号KDP20261123-X7K2MN', undefined, '临时编号KDP20261123-X7K2MN'],
    ['住绿城小区3-2-501，光猫在3楼', undefined, '住<ADDRESS>，光猫在3楼'],
    ['短信里的138****5678和王*明是我', '王小明', '短信里的138****5678和王*明是我'],
    ['', undefined, ''],
    ['😡😡😡 网又断了', undefined, '😡😡😡 网又断了'],
  ];
  it.each(table)('%s', (text, holder, masked) => {
    expect(maskText(text, { holder })).toBe(masked);
  });
});
