import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isIntent } from '../nlu/taxonomy.js';
import { DEPARTMENTS, PRIORITIES, TICKET_CATEGORIES, type Department, type Priority, type TicketCategory } from './types.js';

const rule = z
  .object({
    intent: z.string().refine(isIntent, { message: 'unknown intent' }).optional(),
    category: z.enum(TICKET_CATEGORIES).optional(),
    department: z.enum(DEPARTMENTS),
    minPriority: z.enum(PRIORITIES).optional(),
  })
  .strict()
  .refine((r) => r.intent !== undefined || r.category !== undefined, { message: 'a rule needs an intent or a category' });

const table = z.object({
  $comment: z.string().optional(),
  rules: z.array(rule).min(1),
  fallback: z.enum(DEPARTMENTS),
});

export type DepartmentTable = z.infer<typeof table>;

export interface Routing {
  department: Department;
  minPriority: Priority;
}

/** Parsed and checked once at start-up, so a mistake in the data file stops the node rather than misroutes. */
export function loadDepartmentTable(file: URL | string = new URL('./departments.json', import.meta.url)): DepartmentTable {
  const parsed = table.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid department table ${String(file)}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function routeTicket(tableData: DepartmentTable, ticket: { intent: string; category: TicketCategory }): Routing {
  const match = tableData.rules.find(
    (r) => (r.intent === undefined || r.intent === ticket.intent) && (r.category === undefined || r.category === ticket.category),
  );
  return {
    department: match?.department ?? tableData.fallback,
    minPriority: match?.minPriority ?? 'normal',
  };
}
