import { describe, expect, it } from 'vitest';
import { loadCommonContent } from '../../src/engine/common-content.js';
import { detectCommand } from '../../src/engine/commands.js';
import { readChoice, readSlotAnswer, readYesNo } from '../../src/engine/slot-answers.js';
import type { Slot } from '../../src/engine/flow-schema.js';
import { extractEntities } from '../../src/nlu/entities/index.js';
import type { NluAnalysis } from '../../src/nlu/index.js';

const { answers } = loadCommonContent();

/** What the bot knows of a message besides its intent: the real entity extractors. */
function heard(text: string): NluAnalysis {
  const entities = extractEntities(text).map(({ type, value, text: span }) => ({ type, value, text: span }));
  return { text, intent: 'none', score: 1, category: 'other', entities, flags: [], ranking: [] };
}

describe('yes / no answers in natural Chinese', () => {
  it.each([
    ['好了可以了', 'yes'],
    ['是的', 'yes'],
    ['对，是我本人', 'yes'],
    ['嗯嗯', 'yes'],
    ['能上网了', 'yes'],
    ['没问题了', 'yes'],
    ['OK', 'yes'],
    ['1', 'yes'],
    ['还是不行', 'no'],
    ['没好', 'no'],
    ['不是', 'no'],
    ['依然上不去', 'no'],
    ['no', 'no'],
    ['２', 'no'],
  ] as const)('%s → %s', (text, expected) => {
    expect(readYesNo(text, answers)).toBe(expected);
  });

  it.each(['ad88000006', '测速', '😀'])('%s is no answer to a yes/no question', (text) => {
    expect(readYesNo(text, answers)).toBeUndefined();
  });
});

describe('choices by number, label and keyword', () => {
  const lights = [
    { value: 'normal', label: '指示灯都正常', keywords: ['正常', '绿灯'] },
    { value: 'los_red', label: 'LOS 灯红色闪烁或常亮', keywords: ['los', '红灯'] },
    { value: 'pon_off', label: 'PON 灯不亮或一直闪烁', keywords: ['pon', '不亮'] },
  ];
  const satisfaction = [
    { value: 'satisfied', label: '满意' },
    { value: 'neutral', label: '一般' },
    { value: 'dissatisfied', label: '不满意' },
  ];
  it.each([
    ['2', lights, 'los_red'],
    ['第三个', lights, 'pon_off'],
    ['选1', lights, 'normal'],
    ['LOS 灯红色闪烁或常亮', lights, 'los_red'],
    ['los灯一直是红的', lights, 'los_red'],
    ['那个灯不亮了', lights, 'pon_off'],
    ['不满意', satisfaction, 'dissatisfied'],
    ['满意', satisfaction, 'satisfied'],
    ['还行吧一般', satisfaction, 'neutral'],
  ] as const)('%s → %s', (text, options, expected) => {
    expect(readChoice(text, options)).toBe(expected);
  });

  it('an option number beyond the list is no answer', () => {
    expect(readChoice('9', lights)).toBeUndefined();
  });
});

describe('slot values', () => {
  it.each<[Slot, string, unknown]>([
    ['speed_mbps', '测了一下才15兆', { kind: 'value', value: 15 }],
    ['speed_mbps', '20M', { kind: 'value', value: 20 }],
    ['speed_mbps', '大概80', { kind: 'value', value: 80 }],
    ['speed_mbps', '两百兆', { kind: 'value', value: 200 }],
    ['speed_mbps', '不会测', { kind: 'nothing' }],
    ['error_code', '显示691', { kind: 'value', value: '691' }],
    ['error_code', '678', { kind: 'value', value: '678' }],
    ['error_code', '没看到代码', { kind: 'nothing' }],
    ['account', '我的账号是ad88000006', { kind: 'value', value: 'ad88000006' }],
    ['account', '13800000006', { kind: 'value', value: '13800000006' }],
    ['phone', '打我手机 139 1234 5678', { kind: 'value', value: '13912345678' }],
    ['phone', '0571-88886666', { kind: 'value', value: '0571-88886666' }],
    ['url', 'www.example.com 打不开', { kind: 'value', value: expect.stringContaining('example.com') }],
    ['url', '淘宝', { kind: 'value', value: '淘宝' }],
    ['text', '上周三师傅来装机态度很差', { kind: 'value', value: '上周三师傅来装机态度很差' }],
  ])('%s ← %s', (slot, text, expected) => {
    expect(readSlotAnswer(slot, heard(text), answers)).toEqual(expected);
  });

  it.each<[Slot, string]>([
    ['speed_mbps', '很慢很慢'],
    ['account', '我不记得了'],
    ['phone', '不告诉你'],
    ['text', '😡😡'],
    ['error_code', '电脑开不了'],
  ])('%s is not answered by %s', (slot, text) => {
    expect(readSlotAnswer(slot, heard(text), answers)).toBeUndefined();
  });
});

describe('global commands', () => {
  it.each([
    ['转人工', 'handoff'],
    ['我要转人工！', 'handoff'],
    ['算了不弄了，直接给我找人工客服吧', 'handoff'],
    ['取消', 'cancel'],
    ['算了', 'cancel'],
    ['帮助', 'help'],
    ['查询工单', 'ticketQuery'],
  ] as const)('%s → %s', (text, expected) => {
    expect(detectCommand(text, answers)).toBe(expected);
  });

  it.each(['我上个月取消了套餐但还在扣费，这个钱怎么算', '网速慢', '装宽带的师傅说帮我看看'])('%s is not a command', (text) => {
    expect(detectCommand(text, answers)).toBeUndefined();
  });
});
