import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { CustomerChat } from '../support/customer-chat.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

let target: MongoTarget;
let app: RunningApp;

beforeAll(async () => {
  target = await mongoTarget();
  app = await startApp(target.uri, target.dbName, {}, { productNlu: true });
});
afterAll(async () => {
  await app?.stop();
  await target?.stop();
});

/** The transcript's inbound lines with why a reviewer should look at them. */
async function inbound(chat: CustomerChat): Promise<Array<[string, string[]]>> {
  const entries = await app.services.transcripts.list(chat.conversationId);
  return entries.filter((e) => e.direction === 'inbound').map((e) => [e.text, e.review ?? []]);
}

describe('transcripts mark the turns a reviewer should see', () => {
  it('understood turns carry nothing; an off-topic message is a clarification', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await chat.say('宽带上不了网');
    await chat.say('ad88000006');
    await chat.say('取消');
    await chat.say('今天天气怎么样');
    expect(await inbound(chat)).toEqual([
      ['宽带上不了网', []],
      ['ad88000006', []],
      ['取消', []],
      ['今天天气怎么样', ['clarification']],
    ]);
  });

  it('a correction mid-flow and a hand-off after misunderstandings are marked', async () => {
    const chat = new CustomerChat(app.baseUrl);
    await chat.say('网速太慢了');
    await chat.say('ad88000009');
    await chat.say('是的');
    await chat.say('不是网速的问题，是装宽带的师傅一直没来');
    const other = new CustomerChat(app.baseUrl);
    await other.say('今天天气怎么样');
    await other.say('明天会下雨吗');
    await other.say('是');
    expect((await inbound(chat))[3]).toEqual(['不是网速的问题，是装宽带的师傅一直没来', ['corrected']]);
    expect((await inbound(other)).map(([, review]) => review)).toEqual([['clarification'], ['clarification'], ['handoff_after_misunderstanding']]);
  });
});
