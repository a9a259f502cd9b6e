/**
 * Masking measured on realistic complaint messages (tests/fixtures/pii/messages.jsonl): every annotated
 * piece of personal data of the listed types must be gone (recall 100 % per type), and the look-alikes
 * the desk needs (speeds, error codes, ticket numbers, dates, hotlines, router models) must stay.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskText, PLACEHOLDERS } from '../../src/transcripts/masking.js';

interface Annotated {
  text: string;
  pii: Array<{ type: string; value: string }>;
  holder?: string;
  keep?: string[];
}

const SET: Annotated[] = readFileSync(new URL('../fixtures/pii/messages.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Annotated);

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
const ANY_PLACEHOLDER = new RegExp(Object.values(PLACEHOLDERS).join('|'), 'g');

describe('masking on the measurement set', () => {
  it('holds realistic messages of every listed type and look-alikes', () => {
    const types = new Set(SET.flatMap((m) => m.pii.map((p) => p.type)));
    expect([...types].sort()).toEqual(Object.keys(PLACEHOLDER_OF).sort());
    expect(SET.length).toBeGreaterThanOrEqual(150);
    expect(SET.filter((m) => m.pii.length === 0).length).toBeGreaterThanOrEqual(30);
  });

  it('finds every piece of personal data (recall 100 % per type) and says what it was', () => {
    const found: Record<string, { total: number; masked: number }> = {};
    const misses: string[] = [];
    for (const message of SET) {
      const masked = maskText(message.text, { holder: message.holder });
      for (const { type, value } of message.pii) {
        const tally = (found[type] ??= { total: 0, masked: 0 });
        tally.total += 1;
        const gone = !masked.includes(value) && masked.includes(PLACEHOLDER_OF[type]!);
        if (gone) tally.masked += 1;
        else misses.push(`${type} ${JSON.stringify(value)} in ${JSON.stringify(masked)}`);
      }
    }
    console.info(
      'masking recall per type:',
      Object.entries(found)
        .map(([type, t]) => `${type} ${t.masked}/${t.total}`)
        .join(', '),
    );
    expect(misses).toEqual([]);
  });

  it('keeps what is not personal: precision over the set', () => {
    let placed = 0;
    let expected = 0;
    const damaged: string[] = [];
    for (const message of SET) {
      const masked = maskText(message.text, { holder: message.holder });
      placed += masked.match(ANY_PLACEHOLDER)?.length ?? 0;
      expected += message.pii.length;
      for (const keep of message.keep ?? []) if (!masked.includes(keep)) damaged.push(`${JSON.stringify(keep)} in ${JSON.stringify(masked)}`);
    }
    const precision = expected / Math.max(placed, expected);
    console.info(`masking precision ${(precision * 100).toFixed(1)} % (${placed} placeholders for ${expected} annotated pieces)`);
    expect(damaged).toEqual([]);
    expect(precision).toBeGreaterThanOrEqual(0.97);
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
    ['', undefined, ''],
    ['😡😡😡 网又断了', undefined, '😡😡😡 网又断了'],
  ];
  it.each(table)('%s', (text, holder, masked) => {
    expect(maskText(text, { holder })).toBe(masked);
  });
});
