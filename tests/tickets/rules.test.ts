import { describe, expect, it } from 'vitest';
import { loadDepartmentTable, routeTicket } from '../../src/tickets/departments.js';
import { ForbiddenTransitionError, InvalidTransitionError } from '../../src/tickets/errors.js';
import {
  formatTicketNumber,
  PROVISIONAL_REFERENCE,
  provisionalReference,
  shanghaiDay,
  TICKET_NUMBER,
} from '../../src/tickets/numbering.js';
import { initialPriority, raisePriority, repeatPriority } from '../../src/tickets/priority.js';
import { checkSla, dueDates } from '../../src/tickets/sla.js';
import { checkTransition } from '../../src/tickets/status.js';
import { ticketNotice } from '../../src/tickets/messages.js';
import type { Actor, Department, OpenTicketResult, Priority, Ticket, TicketCategory, TicketStatus } from '../../src/tickets/types.js';

describe('ticket numbers', () => {
  it.each([
    ['20261122', 7, 'KD20261122-0007'],
    ['20260101', 1, 'KD20260101-0001'],
    ['20261231', 9999, 'KD20261231-9999'],
    ['20261231', 10000, 'KD20261231-10000'],
  ])('%s #%i → %s', (day, seq, expected) => {
    expect(formatTicketNumber(day, seq)).toBe(expected);
    expect(expected).toMatch(TICKET_NUMBER);
  });

  it.each([
    ['2026-11-21T15:59:59Z', '20261121'],
    ['2026-11-21T16:00:00Z', '20261122'],
    ['2026-11-22T15:59:59Z', '20261122'],
    ['2026-12-31T16:30:00Z', '20270101'],
  ])('%s is %s in Asia/Shanghai', (instant, day) => {
    expect(shanghaiDay(new Date(instant))).toBe(day);
  });

  it('gives provisional references a shape no real number has', () => {
    const refs = new Set(Array.from({ length: 200 }, () => provisionalReference(new Date('2026-11-21T16:00:00Z'))));
    expect(refs.size).toBe(200);
    for (const ref of refs) {
      expect(ref).toMatch(PROVISIONAL_REFERENCE);
      expect(ref.startsWith('KDP20261122-')).toBe(true);
      expect(ref).not.toMatch(TICKET_NUMBER);
    }
  });
});

describe('SLA due dates', () => {
  const at = new Date('2026-11-22T02:00:00Z');
  it.each([
    [24, 48, '2026-11-23T02:00:00.000Z', '2026-11-24T02:00:00.000Z'],
    [4, 24, '2026-11-22T06:00:00.000Z', '2026-11-23T02:00:00.000Z'],
    [0.5, 1, '2026-11-22T02:30:00.000Z', '2026-11-22T03:00:00.000Z'],
  ])('first response %s h, resolve %s h', (firstResponseHours, resolveHours, first, resolve) => {
    const due = dueDates(at, checkSla({ firstResponseHours, resolveHours }));
    expect(due.firstResponseDue.toISOString()).toBe(first);
    expect(due.resolveDue.toISOString()).toBe(resolve);
  });

  it.each([
    [0, 48],
    [-1, 48],
    [24, Number.NaN],
    [48, 24],
  ])('rejects first response %s h / resolve %s h', (firstResponseHours, resolveHours) => {
    expect(() => checkSla({ firstResponseHours, resolveHours })).toThrow();
  });
});

describe('priority', () => {
  it.each<[Priority, Priority]>([
    ['normal', 'high'],
    ['high', 'urgent'],
    ['urgent', 'urgent'],
  ])('a repeat raises %s to %s', (from, to) => {
    expect(raisePriority(from)).toBe(to);
    expect(repeatPriority(from, { escalationRisk: false, minPriority: 'normal' })).toBe(to);
  });

  it.each<[Priority | undefined, boolean, Priority, Priority]>([
    [undefined, false, 'normal', 'normal'],
    [undefined, true, 'normal', 'high'],
    ['urgent', true, 'normal', 'urgent'],
    [undefined, false, 'high', 'high'],
    ['normal', false, 'high', 'high'],
  ])('requested %s, escalation risk %s, floor %s → %s', (requested, escalationRisk, minPriority, expected) => {
    expect(initialPriority({ requested, escalationRisk, minPriority })).toBe(expected);
  });
});

describe('departments (src/tickets/departments.json)', () => {
  const table = loadDepartmentTable();
  it.each<[string, TicketCategory, Department, Priority]>([
    ['network.no_connection', 'network', 'network_maintenance', 'normal'],
    ['network.slow', 'network', 'network_maintenance', 'normal'],
    ['business.site_unreachable', 'business', 'network_maintenance', 'normal'],
    ['business.video_game_lag', 'business', 'network_maintenance', 'normal'],
    ['service.install_delay', 'service', 'field_service', 'high'],
    ['service.repair_delay', 'service', 'field_service', 'high'],
    ['service.staff_attitude', 'service', 'service_quality', 'normal'],
    ['billing.dispute', 'billing', 'billing', 'normal'],
    ['handoff.request', 'callback', 'customer_service', 'normal'],
    ['service.repair_delay', 'callback', 'customer_service', 'normal'],
  ])('%s / %s → %s (at least %s)', (intent, category, department, minPriority) => {
    expect(routeTicket(table, { intent, category })).toEqual({ department, minPriority });
  });
});

describe('status transitions', () => {
  const agent: Actor = { name: '张三', role: 'agent' };
  const admin: Actor = { name: 'admin', role: 'admin' };
  type Case = [TicketStatus, TicketStatus, Actor, 'ok' | 'invalid' | 'forbidden'];
  it.each<Case>([
    ['open', 'in_progress', agent, 'ok'],
    ['open', 'resolved', agent, 'ok'],
    ['open', 'closed', agent, 'forbidden'],
    ['open', 'closed', admin, 'ok'],
    ['in_progress', 'resolved', agent, 'ok'],
    ['in_progress', 'open', agent, 'invalid'],
    ['in_progress', 'closed', agent, 'forbidden'],
    ['in_progress', 'closed', admin, 'ok'],
    ['resolved', 'in_progress', agent, 'ok'],
    ['resolved', 'closed', agent, 'ok'],
    ['resolved', 'open', admin, 'invalid'],
    ['closed', 'open', admin, 'invalid'],
    ['closed', 'in_progress', admin, 'invalid'],
  ])('%s → %s by %o: %s', (from, to, actor, expected) => {
    const run = () => checkTransition(from, to, actor);
    if (expected === 'ok') expect(run).not.toThrow();
    if (expected === 'invalid') expect(run).toThrow(InvalidTransitionError);
    if (expected === 'forbidden') expect(run).toThrow(ForbiddenTransitionError);
  });
});

describe('what the customer is told', () => {
  const ticket = { number: 'KD20261122-0007' } as Ticket;
  it.each<[OpenTicketResult, RegExp]>([
    [{ queued: false, repeat: false, ticket }, /单号 KD20261122-0007.*24 小时内/],
    [{ queued: false, repeat: true, ticket }, /已有工单 KD20261122-0007.*提高了处理优先级/],
    [{ queued: true, reference: 'KDP20261122-7Q4MZX', receivedAt: new Date() }, /登记号 KDP20261122-7Q4MZX.*正式工单号/],
  ])('%#', (result, expected) => {
    expect(ticketNotice(result, 24)).toMatch(expected);
  });
});
