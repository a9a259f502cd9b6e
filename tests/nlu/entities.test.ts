import nzhcn from 'nzh/cn';
import { describe, expect, it } from 'vitest';
import { decodeChineseNumber } from '../../src/nlu/entities/chinese-number.js';
import { extractEntities, type Entity, type EntityType } from '../../src/nlu/entities/index.js';

type Expected = [EntityType, string | number, string];

/** The entities of `text` as [type, value, text] triples, after checking the offsets are honest. */
function found(text: string): Expected[] {
  const entities = extractEntities(text);
  for (const e of entities) expect(text.slice(e.start, e.end)).toBe(e.text);
  return entities.map((e) => [e.type, e.value, e.text]);
}

function only(type: EntityType, text: string): Expected[] {
  return found(text).filter(([t]) => t === type);
}

describe('account', () => {
  it.each<[string, Expected[]]>([
    ['我的宽带账号是ad88001234', [['account', 'ad88001234', 'ad88001234']]],
    ['账号AD88001234上不了网', [['account', 'ad88001234', 'AD88001234']]],
    ['宽带账号：ＡＤ８８００１２３４', [['account', 'ad88001234', 'ＡＤ８８００１２３４']]],
    ['帐号 Zhang.San_01 登不上', [['account', 'zhang.san_01', 'Zhang.San_01']]],
    ['宽带号是abc123456789。', [['account', 'abc123456789', 'abc123456789']]],
    ['账号为user@gd.net', [['account', 'user@gd.net', 'user@gd.net']]],
    // Said to be the account, a phone number is the account (many carriers use it as the login).
    ['宽带账号是13812345678', [['account', '13812345678', '13812345678']]],
    ['ad13812345678 这个账号', [['account', 'ad13812345678', 'ad13812345678']]],
  ])('%s', (text, expected) => {
    expect(only('account', text)).toEqual(expected);
  });

  it.each([
    '我的电话是13812345678',
    '账号密码忘了',
    '账号：abc', // shorter than 6
    'iphone13 上网慢',
    'abcde12345678', // five letters
    '我家wifi6路由器',
    '账号是什么',
  ])('no account in %s', (text) => {
    expect(only('account', text)).toEqual([]);
  });
});

describe('phone', () => {
  it.each<[string, string, string]>([
    ['回电13800000000', '13800000000', '13800000000'],
    ['电话 138 0000 0000 谢谢', '13800000000', '138 0000 0000'],
    ['138-1234-5678', '13812345678', '138-1234-5678'],
    ['+86 139-1234-5678', '13912345678', '+86 139-1234-5678'],
    ['手机号：１５９１２３４５６７８', '15912345678', '１５９１２３４５６７８'],
  ])('%s', (text, value, span) => {
    expect(only('phone', text)).toEqual([['phone', value, span]]);
  });

  it.each([
    '12345678901', // 12… is not a mobile prefix
    '138123456789', // twelve digits
    '订单号2138123456789',
    '10086',
    '12345',
    '138 0000 00000',
    '138-0000 0000', // mixed separators
  ])('no phone in %s', (text) => {
    expect(only('phone', text)).toEqual([]);
  });
});

describe('error_code', () => {
  it.each<[string, string[]]>([
    ['拨号提示错误691', ['691']],
    ['错误代码：678', ['678']],
    ['一直报651', ['651']],
    ['显示错误 619', ['619']],
    ['code=769', ['769']],
    ['Error 720 是什么意思', ['720']],
    ['691错误怎么办', ['691']],
    ['拨号时提示“651”', ['651']],
    ['拨号拨了好几次都是691😭', ['691']],
    ['691', ['691']],
    ['报错797了', ['797']],
    ['错误代码 633', ['633']],
    ['提示错误码 31', ['31']],
  ])('%s', (text, codes) => {
    expect(only('error_code', text).map(([, v]) => v)).toEqual(codes);
  });

  it.each([
    '678元的套餐',
    '花了651块',
    '¥691',
    '宽带691兆', // a speed
    '2026-11-22',
    '今天12:30断网',
    '1.691',
    '10086',
    '第691号',
    '720p的视频卡',
    '提示3天后到期',
    '显示网速只有5',
    '显示2个设备在线',
    '6910',
    '报了3次',
  ])('no error code in %s', (text) => {
    expect(only('error_code', text)).toEqual([]);
  });
});

describe('speed_mbps', () => {
  it.each<[string, number, string]>([
    ['办的20M宽带', 20, '20M'],
    ['只有20m', 20, '20m'],
    ['网速只有5兆', 5, '5兆'],
    ['二十兆都跑不到', 20, '二十兆'],
    ['两百兆的套餐', 200, '两百兆'],
    ['一百五兆', 150, '一百五兆'],
    ['千兆宽带', 1000, '千兆'],
    ['百兆光纤', 100, '百兆'],
    ['100Mbps', 100, '100Mbps'],
    ['100mb', 100, '100mb'],
    ['下载12MB/s', 96, '12MB/s'],
    ['只有500KB/s', 4, '500KB/s'],
    ['1.5M', 1.5, '1.5M'],
    ['300m宽带', 300, '300m'],
    ['办的1G', 1000, '1G'],
    ['1000M光纤', 1000, '1000M'],
    ['网速只有200k', 1.6, '200k'],
    ['１００Ｍ', 100, '１００Ｍ'],
    ['5G宽带', 5000, '5G'],
    ['测速 50 mbps', 50, '50 mbps'],
    ['只有一兆二', 1.2, '一兆二'], // nzh alone reads 12
    ['两兆五', 2.5, '两兆五'],
  ])('%s', (text, mbps, span) => {
    expect(only('speed_mbps', text)).toEqual([['speed_mbps', mbps, span]]);
  });

  it.each([
    '300元',
    '3个月',
    '2M的文件都下不动', // a size, not a speed
    '流量用了20M',
    '下载了500MB',
    '10GB的游戏',
    '5G手机',
    '4g信号不好',
    '连5G的wifi',
    '2.4G频段',
    '看4K电视卡',
    '几十兆',
    '三四十兆',
    '二十多兆',
    '上千兆',
    '网线10m长的',
    'mp4',
  ])('no speed in %s', (text) => {
    expect(only('speed_mbps', text)).toEqual([]);
  });

  it('several speeds in one message', () => {
    expect(only('speed_mbps', '办的两百兆，测速只有20M，下载才1.5MB/s').map(([, v]) => v)).toEqual([200, 20, 12]);
  });
});

describe('Chinese numerals through nzh (measured)', () => {
  // What nzh 1.0.14 does on its own: it has no 兆 unit and silently drops characters it does not
  // know, so 兆 is never read as 10^12 but garbage goes through; and 两 is unknown.
  it.each<[string, number]>([
    ['二十兆', 20],
    ['一兆二', 12],
    ['兆', 0],
    ['两百', 0],
    ['一百五', 105],
    ['千', 1000],
  ])('raw nzh decodeS(%s) = %d', (input, value) => {
    expect(Number(nzhcn.decodeS(input))).toBe(value);
  });

  it.each<[string, number | undefined]>([
    ['二十', 20],
    ['两百', 200],
    ['一百五', 150],
    ['两千五', 2500],
    ['一点五', 1.5],
    ['千', 1000],
    ['三百零五', 305],
    ['一兆二', undefined],
    ['几十', undefined],
    ['二十m', undefined],
  ])('decodeChineseNumber(%s) = %s', (input, value) => {
    expect(decodeChineseNumber(input)).toBe(value);
  });
});

describe('ticket_number', () => {
  it.each<[string, string, string]>([
    ['工单KD20261122-0007进度', 'KD20261122-0007', 'KD20261122-0007'],
    ['kd20261122-0007', 'KD20261122-0007', 'kd20261122-0007'],
    ['ＫＤ２０２６１１２２－０００７', 'KD20261122-0007', 'ＫＤ２０２６１１２２－０００７'],
    ['单号KD20261122—0008', 'KD20261122-0008', 'KD20261122—0008'],
    ['KD202611220009', 'KD20261122-0009', 'KD202611220009'],
  ])('%s', (text, value, span) => {
    expect(found(text)).toEqual([['ticket_number', value, span]]);
  });

  it.each(['KD20261332-0007', 'KD2026-1130-0003', 'KD20261122-00071', 'AKD20261122-0007'])('no ticket in %s', (text) => {
    expect(only('ticket_number', text)).toEqual([]);
  });
});

describe('url', () => {
  it.each<[string, string, string]>([
    ['https://www.example.com/path 打不开', 'www.example.com', 'https://www.example.com/path'],
    ['HTTPS://WWW.Example.com/Path', 'www.example.com', 'HTTPS://WWW.Example.com/Path'],
    ['taobao.com上不去', 'taobao.com', 'taobao.com'],
    ['www.baidu.com。', 'www.baidu.com', 'www.baidu.com'],
    ['m.jd.com/abc?x=1，打不开', 'm.jd.com', 'm.jd.com/abc?x=1'],
    ['12306.cn买不了票', '12306.cn', '12306.cn'],
    ['xx.com.cn', 'xx.com.cn', 'xx.com.cn'],
    ['http://192.168.1.1 进不去', '192.168.1.1', 'http://192.168.1.1'],
    ['ｗｗｗ．ｂｉｌｉｂｉｌｉ．ｃｏｍ', 'www.bilibili.com', 'ｗｗｗ．ｂｉｌｉｂｉｌｉ．ｃｏｍ'],
    ['http://example.com:8080/a).', 'example.com', 'http://example.com:8080/a'],
  ])('%s', (text, host, span) => {
    expect(only('url', text)).toEqual([['url', host, span]]);
  });

  it.each(['发到abc@qq.com', 'zhang.san@163.com', '1.5M', 'v2.0版本', 'e.g.', 'video.mp4', '3.14'])('no url in %s', (text) => {
    expect(only('url', text)).toEqual([]);
  });
});

describe('device', () => {
  it.each<[string, string[]]>([
    ['光猫重启了', ['optical_modem']],
    ['猫上的灯', ['optical_modem']],
    ['光纤猫', ['optical_modem']],
    ['调制解调器和MODEM和ONU', ['optical_modem', 'optical_modem', 'optical_modem']],
    ['无线路由器和router', ['router', 'router']],
    ['电视盒子、IPTV盒子、机顶盒', ['set_top_box', 'set_top_box', 'set_top_box']],
    ['网线换了', ['cable']],
    ['电脑和手机都上不了', ['computer', 'mobile_phone']],
    ['5G手机', ['mobile_phone']],
  ])('%s', (text, ids) => {
    expect(only('device', text).map(([, v]) => v)).toEqual(ids);
  });

  it.each(['家里的小猫咬了', '手机号是多少', '电视台的节目', '熊猫', 'bonus', '光纤宽带多少钱'])('no device in %s', (text) => {
    expect(only('device', text)).toEqual([]);
  });
});

describe('light_state', () => {
  it.each<[string, string, string]>([
    ['光猫LOS灯一直亮红灯', 'los_red', 'LOS灯一直亮红灯'],
    ['LOS灯亮了', 'los_red', 'LOS灯亮了'],
    ['los', 'los_red', 'los'],
    ['LOS灯不亮', 'los_off', 'LOS灯不亮'],
    ['LOS灯在闪红', 'los_blinking', 'LOS灯在闪红'],
    ['PON灯一直闪', 'pon_blinking', 'PON灯一直闪'],
    ['pon灯不亮', 'pon_off', 'pon灯不亮'],
    ['光猫闪红灯', 'red_blinking', '闪红灯'],
    ['有个红灯', 'red', '红灯'],
    ['路由器灯一直闪', 'blinking', '灯一直闪'],
    ['猫不亮了', 'off', '不亮了'],
    ['指示灯全灭了', 'off', '指示灯全灭'],
    ['灯是绿的', 'green', '灯是绿的'],
    ['绿灯都亮着', 'green', '绿灯'],
  ])('%s', (text, value, span) => {
    expect(only('light_state', text)).toEqual([['light_state', value, span]]);
  });

  it.each(['网络闪断', 'app闪退', 'close the door', '网速不亮眼'])('no light state in %s', (text) => {
    expect(only('light_state', text)).toEqual([]);
  });
});

describe('whole messages', () => {
  it.each<[string, Expected[]]>([
    [
      '宽带账号ad88001234，拨号提示691，光猫LOS灯亮红灯，回电13800000000',
      [
        ['account', 'ad88001234', 'ad88001234'],
        ['error_code', '691', '691'],
        ['device', 'optical_modem', '光猫'],
        ['light_state', 'los_red', 'LOS灯亮红灯'],
        ['phone', '13800000000', '13800000000'],
      ],
    ],
    [
      '办的三百兆，测速才２０Ｍ，taobao.com都打不开😡',
      [
        ['speed_mbps', 300, '三百兆'],
        ['speed_mbps', 20, '２０Ｍ'],
        ['url', 'taobao.com', 'taobao.com'],
      ],
    ],
    ['工单KD20261122-0007怎么样了，我的手机13812345678', [
      ['ticket_number', 'KD20261122-0007', 'KD20261122-0007'],
      ['device', 'mobile_phone', '手机'],
      ['phone', '13812345678', '13812345678'],
    ]],
    ['2026-11-22 交了300元，打了10086，3个月了', []],
    ['😀😀 光猫 😀', [['device', 'optical_modem', '光猫']]],
    ['', []],
  ])('%s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('returns entities sorted by start and never overlapping', () => {
    const text = '账号13812345678，工单kd20261122-0007，www.jd.com，千兆光猫LOS灯闪，错误691，500KB/s';
    const entities: Entity[] = extractEntities(text);
    for (let i = 1; i < entities.length; i++) {
      expect(entities[i]!.start).toBeGreaterThanOrEqual(entities[i - 1]!.end);
    }
    expect(entities.map((e) => e.type)).toEqual([
      'account',
      'ticket_number',
      'url',
      'speed_mbps',
      'device',
      'light_state',
      'error_code',
      'speed_mbps',
    ]);
  });

  it('keeps offsets into the original text when normalisation changes its length', () => {
    // "㎆" (one code point) normalises to "mb"; the emoji are two UTF-16 units each.
    const text = '😀速度100㎆/s 😀 错误691';
    const speed = extractEntities(text).find((e) => e.type === 'speed_mbps');
    expect(speed).toMatchObject({ value: 800, text: '100㎆/s' });
    const code = extractEntities(text).find((e) => e.type === 'error_code');
    expect(code?.text).toBe('691');
  });

  it('handles 10 KB of text quickly', () => {
    const line = '宽带账号ad88001234拨号错误691，光猫LOS灯红了，网速只有两百兆的一半，回电138 0000 0000，taobao.com打不开。';
    const text = line.repeat(Math.ceil(10_000 / line.length)).slice(0, 10_000);
    extractEntities(text);
    const started = performance.now();
    const entities = extractEntities(text);
    const elapsed = performance.now() - started;
    expect(entities.length).toBeGreaterThan(500);
    expect(elapsed).toBeLessThan(100);
  });

  it('stays fast on adversarial input', () => {
    for (const text of ['1'.repeat(10_000), '灯'.repeat(10_000), 'a.'.repeat(5_000), '闪'.repeat(10_000)]) {
      const started = performance.now();
      extractEntities(text);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
