import { describe, expect, it } from 'vitest';
import { maskHolder } from '../../src/carrier/holder-mask.js';

describe('maskHolder', () => {
  it.each([
    ['张三', '张*'],
    ['王小明', '王*明'],
    ['欧阳娜娜', '欧**娜'],
    ['司马相如', '司**如'],
    ['迪丽热巴·迪力木拉提', '迪********提'],
    [' 李四 ', '李*'],
    ['王', '*'],
    ['', '*'],
    ['𠀾小明', '𠀾*明'],
  ])('%s → %s', (name, masked) => {
    expect(maskHolder(name)).toBe(masked);
  });
});
