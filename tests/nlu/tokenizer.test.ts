import { beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, loadTypos } from '../../src/nlu/corpus.js';
import { featuresOf, weightFeatures, wordsOf } from '../../src/nlu/features.js';
import { loadJieba } from '../../src/nlu/jieba.js';
import { MODEL_SETTINGS } from '../../src/nlu/model-settings.js';
import { TextNormalizer } from '../../src/nlu/text-normalizer.js';
import { CORPUS } from './support/tiny-corpus.js';

const files = corpusFiles(CORPUS);
const settings = MODEL_SETTINGS.features;
let normalizer: TextNormalizer;
const words = (text: string): string[] => wordsOf(normalizer.normalize(text), settings);

beforeAll(() => {
  loadJieba(files.userDict);
  normalizer = new TextNormalizer(loadTypos(files));
});

describe('tokenizer', () => {
  it('keeps error codes, wifi and speeds whole', () => {
    expect(words('拨号提示691错误')).toContain('691');
    expect(words('wifi连上了但是没网')).toContain('wifi');
    expect(words('测速只有20mbps')).toContain('20mbps');
    expect(words('打我手机13956781234')).toContain('13956781234');
    expect(words('工单号KD20261115-0032处理到哪了')).toContain('kd20261115-0032');
  });

  it('uses the trade dictionary', () => {
    expect(words('光猫亮红灯')).toContain('光猫');
    expect(words('我要转人工')).toContain('转人工');
  });

  it('drops punctuation and fillers but keeps emoji', () => {
    expect(words('光猫亮红灯了啊！！！')).toEqual(['光猫', '亮红灯']);
    expect(words('👋你好')).toContain('👋');
  });
});

describe('normaliser', () => {
  it('folds full-width characters to half-width and letters to lower case', () => {
    expect(normalizer.normalize('ＷＩＦＩ连不上，打１２３００')).toBe('wifi连不上,打12300');
    expect(words('ＷｉＦｉ连不上')).toEqual(words('wifi连不上'));
  });

  it('removes control and zero-width characters and collapses white space', () => {
    expect(normalizer.normalize('\u0001网\u200b速   慢\t')).toBe('网 速 慢');
  });

  it('maps the typo list onto the intended words', () => {
    expect(normalizer.normalize('网素太慢了，光毛亮红灯')).toBe('网速太慢了,光猫亮红灯');
  });
});

describe('features', () => {
  it('adds character n-grams inside Chinese runs only', () => {
    const text = normalizer.normalize('网速慢,wifi');
    const features = featuresOf(text, wordsOf(text, settings), settings);
    expect(features).toEqual(expect.arrayContaining(['~网速', '~速慢', '~网', 'wifi']));
    expect(features).not.toContain('~慢w');
  });

  it('gives every message the same total weight (unit length)', () => {
    const idf = new Map([['a', 2], ['b', 1], ['', 3]]);
    const weights = weightFeatures(['a', 'b', 'c'], { weighting: 'idf-l2', ngramWeight: 1 }, idf);
    const norm = Math.hypot(...Object.values(weights));
    expect(norm).toBeCloseTo(1, 10);
    expect(weights.a).toBeGreaterThan(weights.b!);
  });
});
