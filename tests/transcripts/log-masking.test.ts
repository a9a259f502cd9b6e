/** Whatever reaches the JSON log (fields, messages, errors) has its personal data masked. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs carry no personal data', () => {
  it('masks phone numbers, IDs and accounts in fields, nested objects, messages and errors', () => {
    const { logger, lines } = capture();
    logger.info({ customer: { said: '我的电话13812345678', accounts: ['ad88000006'] } }, 'reply to 139 1234 5678 failed');
    logger.error({ err: new Error('cannot parse 身份证110101199003071234') }, 'turn failed');
    logger.child({ component: 'bot' }).warn('mail zhangsan@163.com bounced');
    logger.child({ account: 'ad88000002' }).info('reply for %s: %o', '住阳光小区5号楼1单元302', { phone: '15912345678' });
    const out = lines.join('');
    for (const personal of ['13812345678', '139 1234 5678', 'ad88000006', '110101199003071234', 'zhangsan@163.com', 'ad88000002', '5号楼', '15912345678']) {
      expect(out).not.toContain(personal);
    }
    const [first, second, third, fourth] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ customer: { said: '我的电话<PHONE>', accounts: ['<ACCOUNT>'] }, msg: 'reply to <PHONE> failed' });
    expect(second.err).toMatchObject({ type: 'Error', message: 'cannot parse 身份证<ID>' });
    expect(second.err.stack).toContain('Error');
    expect(third).toMatchObject({ component: 'bot', msg: 'mail <EMAIL> bounced' });
    expect(fourth).toMatchObject({ account: '<ACCOUNT>', msg: 'reply for 住<ADDRESS>: {"phone":"<PHONE>"}' });
  });
});
