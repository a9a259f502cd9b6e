import type { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TicketService } from '../../src/tickets/service.js';
import type { Actor } from '../../src/tickets/types.js';
import { complaint, connect, harness, written, type Harness } from './helpers.js';

const admin: Actor = { name: 'admin', role: 'admin' };
const agent: Actor = { name: '李四', role: 'agent' };

let h: Harness;
let second: MongoClient | undefined;
let service: TicketService;

beforeEach(async () => {
  h = await harness();
  service = await h.service();
});

afterEach(async () => {
  await second?.close();
  second = undefined;
  await h.stop();
});

describe('repeat complaints', () => {
  it('updates the open ticket for the same account and category instead of opening another', async () => {
    const first = written(await service.openTicket(complaint({ account: 'A1' })));
    const again = written(
      await service.openTicket(
        complaint({
          account: 'A1',
          intent: 'network.unstable',
          summary: '客户再次来电:晚上频繁掉线。',
          evidence: { steps: [{ step: '更换网线', outcome: '仍掉线' }], values: { speedMbps: 8, errorCode: '678' } },
        }),
      ),
    );
    expect(again.repeat).toBe(true);
    expect(again.ticket.number).toBe(first.ticket.number);
    expect(again.ticket.repeatCount).toBe(1);
    expect(again.ticket.priority).toBe('high');
    expect(again.ticket.evidence.steps.map((s) => s.step)).toEqual(['重启光猫和路由器', '有线直连测速', '更换网线']);
    expect(again.ticket.evidence.values).toMatchObject({ speedMbps: 8, errorCode: '678' });
    expect(again.ticket.history.at(-1)).toMatchObject({ by: 'bot', action: 'repeat', from: 'normal', to: 'high' });
    expect(again.ticket.history.at(-1)?.note).toContain('晚上频繁掉线');
    expect(await h.db.collection('tickets').countDocuments()).toBe(1);
  });

  it.each([
    [1, 'high'],
    [2, 'urgent'],
    [3, 'urgent'],
  ] as const)('after %i repeat(s) the priority is %s', async (repeats, priority) => {
    await service.openTicket(complaint({ account: 'A2' }));
    let last;
    for (let i = 0; i < repeats; i++) last = written(await service.openTicket(complaint({ account: 'A2' })));
    expect(last?.ticket).toMatchObject({ repeatCount: repeats, priority });
  });

  it.each([
    ['a different category', { account: 'A3', intent: 'billing.dispute', category: 'billing' }],
    ['a different account', { account: 'A4' }],
    ['a different department in the same category', { account: 'A3', intent: 'service.staff_attitude', category: 'service' }],
  ] as const)('opens a new ticket for %s', async (_, overrides) => {
    const first = written(await service.openTicket(complaint({ account: 'A3', intent: 'service.install_delay', category: 'service' })));
    const other = written(await service.openTicket(complaint(overrides)));
    expect(other.repeat).toBe(false);
    expect(other.ticket.number).not.toBe(first.ticket.number);
  });

  it('counts in-progress tickets as open, but opens a new ticket once the old one is resolved or closed', async () => {
    const first = written(await service.openTicket(complaint({ account: 'A5' })));
    await service.updateTicket(first.ticket.number, { status: 'in_progress' }, agent);
    expect(written(await service.openTicket(complaint({ account: 'A5' }))).ticket.number).toBe(first.ticket.number);

    await service.updateTicket(first.ticket.number, { status: 'closed' }, admin);
    const fresh = written(await service.openTicket(complaint({ account: 'A5' })));
    expect(fresh.repeat).toBe(false);
    expect(fresh.ticket.number).not.toBe(first.ticket.number);
    expect(fresh.ticket.priority).toBe('normal');

    await service.updateTicket(fresh.ticket.number, { status: 'resolved' }, agent);
    const third = written(await service.openTicket(complaint({ account: 'A5' })));
    expect(third.ticket.number).not.toBe(fresh.ticket.number);
  });

  it('without an account, repeats within one conversation fold together', async () => {
    const first = written(await service.openTicket(complaint({ account: undefined, conversationId: 'c-77' })));
    const again = written(await service.openTicket(complaint({ account: undefined, conversationId: 'c-77' })));
    const elsewhere = written(await service.openTicket(complaint({ account: undefined, conversationId: 'c-78' })));
    expect(again).toMatchObject({ repeat: true, ticket: { number: first.ticket.number } });
    expect(elsewhere.ticket.number).not.toBe(first.ticket.number);
  });

  it('applies the same request id once', async () => {
    const input = complaint({ account: 'A6', requestId: 'req-1' });
    const first = written(await service.openTicket(input));
    const retried = written(await service.openTicket(input));
    expect(retried).toMatchObject({ repeat: false, ticket: { number: first.ticket.number, repeatCount: 0 } });
  });

  it('refuses to reopen a resolved ticket while a newer one is open for the same complaint', async () => {
    const old = written(await service.openTicket(complaint({ account: 'A7' })));
    await service.updateTicket(old.ticket.number, { status: 'resolved' }, agent);
    const newer = written(await service.openTicket(complaint({ account: 'A7' })));
    await expect(service.updateTicket(old.ticket.number, { status: 'in_progress' }, agent)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(newer.ticket.number),
    });
  });

  it('two nodes filing the same complaint at once end with one ticket holding every report', async () => {
    second = await connect(h.target.uri);
    const other = new TicketService({ db: second.db(h.target.dbName), outboxFile: `${h.dir}/b.jsonl` });
    await other.init();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? service : other).openTicket(complaint({ account: 'A8' }))),
    );
    const numbers = new Set(results.map((r) => written(r).ticket.number));
    expect(numbers.size).toBe(1);
    expect(results.filter((r) => !written(r).repeat)).toHaveLength(1);
    const [ticket] = await service.list({ account: 'A8' });
    expect(ticket).toMatchObject({ repeatCount: 11, priority: 'urgent' });
    expect(ticket?.evidence.steps).toHaveLength(24);
    expect(ticket?.history.filter((e) => e.action === 'repeat')).toHaveLength(11);
    expect(await h.db.collection('tickets').countDocuments({ account: 'A8' })).toBe(1);
  });
});
