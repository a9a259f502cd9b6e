import type { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TICKET_NUMBER } from '../../src/tickets/numbering.js';
import { TicketService } from '../../src/tickets/service.js';
import { complaint, connect, harness, written, type Harness } from './helpers.js';

// 23:30 on 22 Nov in Shanghai, 15:30 UTC: the number must carry the Chinese date.
const NOW = new Date('2026-11-22T15:30:00Z');
const clock = () => NOW;

let h: Harness;
let second: MongoClient | undefined;

beforeEach(async () => {
  h = await harness();
});

afterEach(async () => {
  await second?.close();
  second = undefined;
  await h.stop();
});

describe('opening tickets', () => {
  it('numbers the first ticket of the day KD<Shanghai date>-0001 and sets the SLA deadlines', async () => {
    const service = await h.service({ clock });
    const { ticket, repeat } = written(await service.openTicket(complaint()));
    expect(repeat).toBe(false);
    expect(ticket.number).toBe('KD20261122-0001');
    expect(ticket).toMatchObject({
      status: 'open',
      priority: 'normal',
      department: 'network_maintenance',
      repeatCount: 0,
      createdAt: NOW,
      firstResponseDue: new Date('2026-11-23T15:30:00Z'),
      resolveDue: new Date('2026-11-24T15:30:00Z'),
    });
    expect(ticket.evidence.steps).toHaveLength(2);
    expect(ticket.evidence.values.speedMbps).toBe(12);
    expect(ticket.history).toEqual([{ at: NOW, by: 'bot', action: 'created', to: 'open' }]);
    // Nothing internal leaks to callers.
    expect(Object.keys(ticket)).not.toEqual(expect.arrayContaining(['_id', 'openKey', 'requestIds', 'rev']));
  });

  it('takes the SLA hours from its settings', async () => {
    const service = await h.service({ clock, firstResponseHours: 4, resolveHours: 12 });
    const { ticket } = written(await service.openTicket(complaint()));
    expect(ticket.firstResponseDue).toEqual(new Date('2026-11-22T19:30:00Z'));
    expect(ticket.resolveDue).toEqual(new Date('2026-11-23T03:30:00Z'));
  });

  it.each([
    ['service.install_delay', 'service', 'field_service', 'high'],
    ['service.staff_attitude', 'service', 'service_quality', 'normal'],
    ['billing.dispute', 'billing', 'billing', 'normal'],
    ['handoff.request', 'callback', 'customer_service', 'normal'],
  ] as const)('%s goes to %s with priority %s', async (intent, category, department, priority) => {
    const service = await h.service({ clock });
    const { ticket } = written(await service.openTicket(complaint({ intent, category })));
    expect(ticket).toMatchObject({ intent, category, department, priority });
  });

  it('raises an escalation-risk complaint to at least high and keeps the contact phone as evidence', async () => {
    const service = await h.service({ clock });
    const { ticket } = written(await service.openTicket(complaint({ escalationRisk: true, contactPhone: '13800138000' })));
    expect(ticket.priority).toBe('high');
    expect(ticket.escalationRisk).toBe(true);
    expect(ticket.evidence.values.contactPhone).toBe('13800138000');
  });

  it('rejects an invalid request without writing or queueing it', async () => {
    const service = await h.service({ clock });
    await expect(service.openTicket(complaint({ summary: ' ' }))).rejects.toThrow(/summary/);
    await expect(service.openTicket(complaint({ category: 'weather' as never }))).rejects.toThrow(/category/);
    expect(await service.list()).toEqual([]);
  });

  it('gives 100 concurrent tickets from two nodes 100 distinct, gap-free numbers', async () => {
    second = await connect(h.target.uri);
    const nodeA = await h.service({ clock });
    const nodeB = new TicketService({ db: second.db(h.target.dbName), outboxFile: `${h.dir}/b.jsonl`, clock });
    await nodeB.init();

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? nodeA : nodeB).openTicket(complaint())),
    );
    const numbers = results.map((r) => written(r).ticket.number);
    for (const n of numbers) expect(n).toMatch(TICKET_NUMBER);
    expect(new Set(numbers).size).toBe(100);
    const sequence = numbers.map((n) => Number(n.split('-')[1])).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await h.db.collection('tickets').countDocuments()).toBe(100);
  });

  it('starts a new sequence on the next Shanghai day', async () => {
    let now = new Date('2026-11-22T15:59:00Z');
    const service = await h.service({ clock: () => now });
    expect(written(await service.openTicket(complaint())).ticket.number).toBe('KD20261122-0001');
    now = new Date('2026-11-22T16:00:00Z');
    expect(written(await service.openTicket(complaint())).ticket.number).toBe('KD20261123-0001');
    expect(written(await service.openTicket(complaint())).ticket.number).toBe('KD20261123-0002');
  });

  it('creates its indexes idempotently', async () => {
    const service = await h.service();
    await service.init();
    await service.init();
    const names = (await h.db.collection('tickets').indexes()).map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining(['number_unique', 'open_key_unique', 'account_category_status', 'conversation', 'status_resolve_due']),
    );
  });
});
