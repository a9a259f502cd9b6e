import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EscalationRiskDetector,
  loadEscalationRiskData,
  type EscalationRiskData,
} from '../../src/nlu/escalation-risk.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const data = loadEscalationRiskData();
const detector = new EscalationRiskDetector(data);

interface Labelled {
  text: string;
  escalation_risk: boolean;
}

function score(items: Labelled[]): { precision: number; recall: number; misses: string[]; falseAlarms: string[] } {
  let tp = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const item of items) {
    const fired = detector.detect(item.text);
    if (fired && item.escalation_risk) tp++;
    else if (fired) falseAlarms.push(item.text);
    else if (item.escalation_risk) misses.push(item.text);
  }
  return {
    precision: tp / (tp + falseAlarms.length),
    recall: tp / (tp + misses.length),
    misses,
    falseAlarms,
  };
}

describe('escalation risk: clear examples', () => {
  it.each<[string, string[]]>([
    ['我要去工信部投诉你们', ['regulator']],
    ['我去通管局告你们', ['regulator', 'legal']],
    ['不处理就12300见', ['regulator', 'hotline']],
    ['乱扣费，我要打12315', ['hotline']],
    ['再不修我就去消协', ['consumer_body']],
    ['打１２３４５反映你们', ['hotline']],
    ['我要找媒体曝光你们', ['media']],
    ['发到网上让大家评评理', ['media']],
    ['我拍个视频发抖音', ['media']],
    ['再不解决我就走法律程序', ['legal']],
    ['我已经咨询过律师了', ['legal']],
    ['这是我第四次打电话了', ['repeat']],
    ['投诉了三次都没人管', ['repeat']],
    ['反映好几次都没解决', ['repeat']],
    ['上次投诉的问题到现在都没解决', ['repeat']],
    ['我 已经 投诉 了 三次', ['repeat']],
  ])('%s → %j', (text, reasons) => {
    expect(detector.detect(text)).toBe(true);
    expect(detector.reasons(text)).toEqual(reasons);
  });

  it.each([
    '我要投诉',
    '我要投诉网速太慢',
    '投诉一下，客服态度不好',
    '12345是什么电话',
    '12300和10000有什么区别',
    '工信部的网站打不开',
    '12345政务服务网打不开',
    '我的密码是123456',
    '客服工号12345态度很好',
    '网速只有12345KB/s',
    '刷抖音很卡',
    '微博打不开',
    '发朋友圈发不出去',
    '相机曝光参数怎么调',
    '我老公是律师',
    '法院网站打不开',
    '烟雾报警器掉线了',
    '上次打电话问过一次套餐',
    '一天掉线好几次',
    '路由器重启了三次还是不行',
    '第二次办宽带有优惠吗',
    '之前报修过一次，已经修好了',
    '我不会去工信部的，只想快点修好',
    '',
  ])('no flag: %s', (text) => {
    expect(detector.reasons(text)).toEqual([]);
    expect(detector.detect(text)).toBe(false);
  });
});

describe('escalation risk: data', () => {
  it.each(data.negatives)('negative never fires: %s', (text) => {
    expect(detector.reasons(text)).toEqual([]);
  });

  it('blanks a non-threat context but still sees a threat elsewhere in the message', () => {
    expect(detector.detect('12345是什么电话')).toBe(false);
    expect(detector.reasons('12345是什么电话？算了，我直接打12345投诉你们')).toEqual(['hotline']);
  });

  it('expands {_vocabulary} references and ignores vocabularies and masks as reasons', () => {
    const custom: EscalationRiskData = {
      phrases: { _body: ['甲局', '乙局'], threat: ['告到底'], not_quiz: ['甲局是什么'] },
      patterns: { _verb: ['去|找'], body: ['{_verb}{_body}'] },
      negatives: [],
    };
    const d = new EscalationRiskDetector(custom);
    expect(d.reasons('我要去乙局')).toEqual(['body']);
    expect(d.reasons('甲局是什么，我要告到底')).toEqual(['threat']);
    expect(d.detect('去甲局是什么')).toBe(false);
  });

  it('reports a broken regex or an unknown vocabulary with its place in the data', () => {
    const bad = (patterns: Record<string, string[]>): EscalationRiskDetector =>
      new EscalationRiskDetector({ phrases: {}, patterns, negatives: [] });
    expect(() => bad({ repeat: ['(投诉'] })).toThrow(/patterns\.repeat/);
    expect(() => bad({ repeat: ['{_nowhere}'] })).toThrow(/_nowhere/);
  });

  it('loads data from an explicit path and validates its shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ phrases: { legal: ['律师函'] }, patterns: {}, negatives: [] }));
    expect(new EscalationRiskDetector(loadEscalationRiskData(good)).detect('等着收律师函')).toBe(true);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ phrases: { legal: '律师函' }, patterns: {}, negatives: [] }));
    expect(() => loadEscalationRiskData(broken)).toThrow();
  });
});

describe('escalation risk: measured', () => {
  it('held-out set corpus/heldout/risk.json: precision and recall ≥ 0.90', () => {
    const items = JSON.parse(readFileSync(join(REPO, 'corpus/heldout/risk.json'), 'utf8')) as Labelled[];
    expect(items.filter((i) => i.escalation_risk).length).toBeGreaterThanOrEqual(100);
    expect(items.filter((i) => !i.escalation_risk).length).toBeGreaterThanOrEqual(140);
    const { precision, recall, misses, falseAlarms } = score(items);
    // Printed so a regression shows which sentences moved, not just a number.
    expect({ precision: precision >= 0.9, recall: recall >= 0.9, misses, falseAlarms }).toMatchObject({
      precision: true,
      recall: true,
    });
  });

  const testSet = join(REPO, 'corpus/heldout/test.json');
  it.skipIf(!existsSync(testSet))('intent test set corpus/heldout/test.json (read-only, reported)', () => {
    const raw = JSON.parse(readFileSync(testSet, 'utf8')) as unknown;
    const rows = (Array.isArray(raw) ? raw : ((raw as { data?: unknown[] }).data ?? [])) as Array<{
      text?: string;
      utterance?: string;
      flags?: unknown;
    }>;
    const items: Labelled[] = rows
      .filter((r) => typeof (r.text ?? r.utterance) === 'string')
      .map((r) => ({ text: (r.text ?? r.utterance)!, escalation_risk: hasRiskFlag(r.flags) }));
    const { precision, recall } = score(items);
    console.info(`escalation_risk on test.json: n=${items.length} precision=${precision.toFixed(3)} recall=${recall.toFixed(3)}`);
    expect(items.length).toBeGreaterThan(0);
  });

  it('is fast: p99 well under the NLU budget on the training utterances', () => {
    const utterances = ['billing', 'business', 'network', 'none', 'service', 'utility'].flatMap((f) => {
      const corpus = JSON.parse(readFileSync(join(REPO, `corpus/intents/${f}.json`), 'utf8')) as {
        data: Array<{ utterances: string[] }>;
      };
      return corpus.data.flatMap((d) => d.utterances);
    });
    for (const u of utterances) detector.detect(u);
    const times = utterances.map((u) => {
      const started = performance.now();
      detector.detect(u);
      return performance.now() - started;
    });
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length * 0.99)]!).toBeLessThan(0.5);
  });
});

function hasRiskFlag(flags: unknown): boolean {
  if (Array.isArray(flags)) return flags.includes('escalation_risk');
  if (flags && typeof flags === 'object') return (flags as Record<string, unknown>).escalation_risk === true;
  return false;
}
