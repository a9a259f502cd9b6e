import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenTransitionError, InvalidTransitionError, TicketNotFoundError } from '../../src/tickets/errors.js';
import type { TicketService } from '../../src/tickets/service.js';
import type { Actor } from '../../src/tickets/types.js';
import { complaint, harness, written, type Harness } from './helpers.js';

const agent: Actor = { name: '王五', role: 'agent' };
const admin: Actor = { name: 'admin', role: 'admin' };

let h: Harness;
let service: TicketService;
let now: Date;

beforeEach(async () => {
  h = await harness();
  now = new Date('2026-11-22T02:00:00Z');
  service = await h.service({ clock: () => now });
});

afterEach(async () => {
  await h.stop();
});

async function openOne(): Promise<string> {
  return written(await service.openTicket(complaint())).ticket.number;
}

describe('ticket updates', () => {
  it('walks open → in_progress → resolved → in_progress → resolved → closed, recording who did what', async () => {
    const number = await openOne();
    now = new Date('2026-11-22T03:00:00Z');
    await service.updateTicket(number, { status: 'in_progress', assignee: '王五', note: '已联系客户' }, agent);
    now = new Date('2026-11-22T05:00:00Z');
    await service.updateTicket(number, { status: 'resolved', note: '更换光猫后恢复' }, agent);
    await service.updateTicket(number, { status: 'in_progress', note: '客户反馈仍有问题' }, agent);
    await service.updateTicket(number, { status: 'resolved' }, agent);
    const closed = await service.updateTicket(number, { status: 'closed' }, agent);

    expect(closed.status).toBe('closed');
    expect(closed.assignee).toBe('王五');
    expect(closed.firstResponseAt).toEqual(new Date('2026-11-22T03:00:00Z'));
    expect(closed.updatedAt).toEqual(new Date('2026-11-22T05:00:00Z'));
    expect(closed.history.map((e) => [e.action, e.by, e.from, e.to, e.note])).toEqual([
      ['created', 'bot', undefined, 'open', undefined],
      ['status', '王五', 'open', 'in_progress', '已联系客户'],
      ['assign', '王五', undefined, '王五', undefined],
      ['status', '王五', 'in_progress', 'resolved', '更换光猫后恢复'],
      ['status', '王五', 'resolved', 'in_progress', '客户反馈仍有问题'],
      ['status', '王五', 'in_progress', 'resolved', undefined],
      ['status', '王五', 'resolved', 'closed', undefined],
    ]);
  });

  it.each([
    ['closed → open', ['resolved', 'closed'], 'open', admin, InvalidTransitionError],
    ['in_progress → open', ['in_progress'], 'open', agent, InvalidTransitionError],
    ['open → closed by an agent', [], 'closed', agent, ForbiddenTransitionError],
  ] as const)('rejects %s and leaves the ticket as it was', async (_, path, target, actor, error) => {
    const number = await openOne();
    for (const status of path) await service.updateTicket(number, { status }, admin);
    const before = await service.findByNumber(number);
    await expect(service.updateTicket(number, { status: target }, actor)).rejects.toThrow(error);
    expect(await service.findByNumber(number)).toEqual(before);
  });

  it('lets an admin close an unresolved ticket', async () => {
    const number = await openOne();
    expect((await service.updateTicket(number, { status: 'closed', note: '客户撤诉' }, admin)).status).toBe('closed');
  });

  it('records notes and reassignment on their own; repeating the current status changes nothing', async () => {
    const number = await openOne();
    await service.updateTicket(number, { assignee: '甲' }, admin);
    await service.updateTicket(number, { assignee: '乙', note: '转交乙处理' }, admin);
    const same = await service.updateTicket(number, { status: 'open' }, agent);
    expect(same.history).toHaveLength(4);
    const unassigned = await service.updateTicket(number, { assignee: null }, admin);
    expect(unassigned.assignee).toBeUndefined();
    expect(unassigned.history.slice(1).map((e) => [e.action, e.from, e.to, e.note])).toEqual([
      ['assign', undefined, '甲', undefined],
      ['assign', '甲', '乙', undefined],
      ['note', undefined, undefined, '转交乙处理'],
      ['assign', '乙', undefined, undefined],
    ]);
  });

  it('rejects an empty change and an unknown ticket', async () => {
    const number = await openOne();
    await expect(service.updateTicket(number, {}, agent)).rejects.toMatchObject({ status: 400 });
    await expect(service.updateTicket('KD20991231-0001', { note: 'x' }, agent)).rejects.toThrow(TicketNotFoundError);
  });

  it('finds a ticket by number case-insensitively and lists with filters, newest first', async () => {
    const a = written(await service.openTicket(complaint({ conversationId: 'c1', account: 'X' })));
    now = new Date('2026-11-22T02:01:00Z');
    const b = written(await service.openTicket(complaint({ conversationId: 'c1', account: 'Y', intent: 'billing.dispute', category: 'billing' })));
    now = new Date('2026-11-22T02:02:00Z');
    const c = written(await service.openTicket(complaint({ conversationId: 'c2', account: 'X', intent: 'billing.dispute', category: 'billing' })));
    await service.updateTicket(c.ticket.number, { status: 'in_progress' }, agent);

    expect((await service.findByNumber(a.ticket.number.toLowerCase()))?.number).toBe(a.ticket.number);
    const numbers = (tickets: { number: string }[]) => tickets.map((t) => t.number);
    expect(numbers(await service.list())).toEqual([c, b, a].map((r) => r.ticket.number));
    expect(numbers(await service.list({ conversationId: 'c1' }))).toEqual([b, a].map((r) => r.ticket.number));
    expect(numbers(await service.list({ account: 'X', category: 'billing' }))).toEqual([c.ticket.number]);
    expect(numbers(await service.list({ status: 'open' }))).toEqual([b, a].map((r) => r.ticket.number));
    expect(numbers(await service.list({}, 1))).toEqual([c.ticket.number]);
  });
});
