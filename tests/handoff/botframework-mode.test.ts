import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-server.js';
import { FakeChannel } from '../support/fake-channel.js';
import { mongoTarget, type MongoTarget } from '../support/mongo-target.js';

let target: MongoTarget;
let app: RunningApp;
const channel = new FakeChannel();

beforeAll(async () => {
  target = await mongoTarget();
  await channel.start();
  app = await startApp(target.uri, target.dbName, { HANDOFF_MODE: 'botframework' }, { productNlu: true });
});
afterAll(async () => {
  await app?.stop();
  await channel.stop();
  await target?.stop();
});

describe('HANDOFF_MODE=botframework', () => {
  it('sends the standard handoff.initiate event with the transcript to the channel’s agent hub', async () => {
    const conversationId = `hub-${randomUUID()}`;
    let n = 0;
    const say = (text: string) =>
      fetch(`${app.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `m${++n}`,
          text,
          channelId: 'msteams',
          serviceUrl: channel.url,
          conversation: { id: conversationId },
          from: { id: 'customer-9' },
          recipient: { id: 'bot' },
        }),
      });
    await say('网速太慢了');
    await channel.waitFor(conversationId, '宽带账号');
    await say('转人工');
    await channel.waitFor(conversationId, '正在为您转接人工客服');

    const event = channel.delivered.find((d) => d.conversationId === conversationId && d.type === 'event') as unknown as {
      name: string;
      value: { intent: string; category: string };
      attachments: Array<{ contentType: string; name: string; content: { activities: Array<{ text: string }> } }>;
    };
    expect(event?.name).toBe('handoff.initiate');
    expect(event.value).toMatchObject({ intent: 'network.slow', category: 'network' });
    const transcript = event.attachments.find((a) => a.name === 'Transcript');
    expect(transcript?.contentType).toBe('application/json');
    expect(transcript!.content.activities.map((a) => a.text)).toEqual(expect.arrayContaining(['网速太慢了', '转人工']));
    // No queue of this service's own is involved.
    expect((await app.services.handoff.queue()).waiting).toHaveLength(0);
  });
});
