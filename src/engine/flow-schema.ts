/**
 * The declarative shape of a dialog flow (dialogs/*.yaml). The schema only checks the shape of one file;
 * graph-level rules (every path ends, every reference resolves, every intent is served once) live in
 * flow-checks.ts because they need all files at once.
 */
import { z } from 'zod';
import { INTENTS } from '../nlu/taxonomy.js';
import { PRIORITIES, TICKET_CATEGORIES } from '../tickets/types.js';

/** The prompt contract's slot names (issue 4 item 5); the runner puts them in channelData.slot. */
export const SLOTS = [
  'account',
  'resolved',
  'confirm',
  'choice',
  'speed_mbps',
  'url',
  'error_code',
  'ticket_number',
  'phone',
  'text',
  'satisfaction',
] as const;
export type Slot = (typeof SLOTS)[number];

/**
 * Every back-office check a flow may call, with the outcomes it branches on. Each maps onto the carrier
 * port; `unavailable` is always present because a back office that is down or slow must never crash a
 * conversation, and flows are forced (by flow-checks) to say what happens then.
 */
export const CHECK_OUTCOMES = {
  /** findAccount with the stored `account` or `phone`. */
  find_account: ['found', 'not_found', 'unavailable'],
  /** outageFor(region). */
  outage: ['active', 'none', 'unavailable'],
  /** accountStatus(account). */
  account_status: ['active', 'arrears', 'suspended', 'unavailable'],
  /**
   * recentAuthErrors(account) merged with the code the customer reported (`error_code`):
   * 691 → password (account or password wrong); 678 / 651 → line (line or modem); any other code → other.
   */
  auth_errors: ['password', 'line', 'other', 'none', 'unavailable'],
  /** ordersFor(account, install|move) + orderTiming() on the newest order. */
  install_order: ['within_time', 'overdue', 'done', 'none', 'unavailable'],
  /** ordersFor(account, repair) + orderTiming() on the newest order. */
  repair_order: ['within_time', 'overdue', 'done', 'none', 'unavailable'],
  /** isSiteBlocked(url). */
  site_blocked: ['blocked', 'not_blocked', 'unavailable'],
  /** egressFaultFor(region). */
  egress_fault: ['active', 'none', 'unavailable'],
} as const satisfies Record<string, readonly string[]>;
export type CheckName = keyof typeof CHECK_OUTCOMES;
export const CHECK_NAMES = Object.keys(CHECK_OUTCOMES) as [CheckName, ...CheckName[]];

/**
 * Values a check stores for later messages when it succeeds, so `{placeholders}` can be checked statically.
 * Times are stored already formatted for Chinese customers by the runner.
 */
export const CHECK_PROVIDES: Record<CheckName, readonly string[]> = {
  find_account: ['account', 'phone', 'masked_holder', 'region', 'plan_mbps'],
  outage: ['outage_description', 'outage_recovery'],
  account_status: ['account_status'],
  auth_errors: ['auth_error_code'],
  install_order: ['order_id', 'promised_by'],
  repair_order: ['order_id', 'promised_by'],
  site_blocked: [],
  egress_fault: ['egress_description', 'egress_recovery'],
};

/** Values the runner always knows (`intent`) or sets after a ticket step. */
export const BUILTIN_VALUES = ['intent', 'ticket_number', 'first_response_due'] as const;

/** Ends the whole conversation with one of the four outcomes the product reports on. */
export const OUTCOMES = ['resolved', 'explained', 'ticket', 'handoff'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are snake_case: lower-case letters, digits and _');
const stepRef = id;
/** Customer-facing text; emptiness and Chinese are checked in flow-checks so a table of broken flows can show it. */
const message = z.string();

const sayStep = z.strictObject({ kind: z.literal('say'), message, next: stepRef });

const choice = z.strictObject({
  value: id,
  label: message,
  /** Words that pick this choice when the customer types instead of pressing a button (红灯 → LOS). */
  keywords: z.array(z.string().min(1)).default([]),
});

const askStep = z
  .strictObject({
    kind: z.literal('ask'),
    slot: z.enum(SLOTS),
    message,
    /** For slot `choice`: the buttons, also rendered as numbered text on channels without buttons. */
    choices: z.array(choice).min(2).optional(),
    /** Where the answer is kept (and later shown through `{store}` placeholders and ticket evidence). */
    store: id.optional(),
    next: stepRef.optional(),
    /** For `confirm` / `resolved`: yes / no; for `choice`: keyed by choice value. */
    branches: z.record(id, stepRef).optional(),
  })
  .superRefine((step, ctx) => {
    if ((step.next === undefined) === (step.branches === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'an ask step needs exactly one of `next` or `branches`' });
    }
    if (step.slot === 'choice' && !step.choices) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'slot `choice` needs `choices`' });
    }
    if (step.slot !== 'choice' && step.choices) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: '`choices` only go with slot `choice`' });
    }
  });

const checkStep = z.strictObject({
  kind: z.literal('check'),
  check: z.enum(CHECK_NAMES),
  /** Keyed by the check's outcomes (CHECK_OUTCOMES); flow-checks demands every outcome. */
  branches: z.record(id, stepRef),
});

const confirmResolvedStep = z.strictObject({
  kind: z.literal('confirm_resolved'),
  /** Asks whether the self-check just suggested fixed the problem (slot `resolved`). */
  message,
  /** Short Chinese name of the self-check, recorded as ticket evidence with the answer. */
  evidence: z.string().min(1),
  /** Where a "yes" goes: must be an `end` with outcome `resolved`. Defaults to the step `resolved`. */
  yes: stepRef.default('resolved'),
  /** Where a "no" goes: the next self-check or the ticket. */
  next: stepRef,
});

const condition = z.strictObject({
  /** A collected or builtin value. */
  key: id,
  op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'exists', 'missing']),
  /** A literal to compare with… */
  value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional(),
  /** …or another value, optionally scaled: `speed_mbps gte plan_mbps × plan_share`. */
  ref: id.optional(),
  /** A number, or the name of a flow param (so the share stays configurable). */
  share: z.union([z.number().positive(), id]).optional(),
});
export type Condition = z.infer<typeof condition>;

const branchStep = z.strictObject({
  kind: z.literal('branch'),
  /** First matching case wins; a condition on a missing value is false, so `otherwise` catches it. */
  cases: z.array(z.strictObject({ when: condition, next: stepRef })).min(1),
  otherwise: stepRef,
});

const ticketStep = z.strictObject({
  kind: z.literal('ticket'),
  /** The runner maps category (and intent) to a department, so flows stay department-free. */
  category: z.enum(TICKET_CATEGORIES),
  /** A floor: escalation risk or a repeat complaint may raise it, never lower it. */
  priority: z.enum(PRIORITIES).default('normal'),
  /** Chinese, for the agent; `{placeholders}` are filled from collected values. */
  summary: message,
  /** Collected values copied into ticket evidence (steps tried are recorded automatically). */
  evidence: z.array(id).default([]),
  /** Must be an `end` with outcome `ticket`, which tells the customer the number and contact time. */
  next: stepRef,
});

const handoffStep = z.strictObject({ kind: z.literal('handoff'), message });

const endStep = z.strictObject({ kind: z.literal('end'), outcome: z.enum(OUTCOMES), message });

const useStep = z.strictObject({
  kind: z.literal('use'),
  /** The id of a flow marked `subflow: true`. */
  flow: id,
  next: stepRef,
});

/**
 * Drops collected values, e.g. the account the customer just said is not theirs, so neither a ticket nor
 * a call-back is ever filed under someone else's account or phone.
 */
const forgetStep = z.strictObject({ kind: z.literal('forget'), values: z.array(id).min(1), next: stepRef });

/** Only in sub-flows: go back to the calling flow's `use.next`. */
const returnStep = z.strictObject({ kind: z.literal('return') });

export const StepSchema = z.discriminatedUnion('kind', [
  sayStep,
  askStep,
  checkStep,
  confirmResolvedStep,
  branchStep,
  ticketStep,
  handoffStep,
  endStep,
  useStep,
  forgetStep,
  returnStep,
]);
export type Step = z.infer<typeof StepSchema>;
export type StepKind = Step['kind'];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

export const FlowSchema = z.strictObject({
  id,
  /** Chinese title for the diagram a business analyst reads. */
  title: z.string().min(1),
  /** Shared pieces (identify_account …) called through `use`; they serve no intent. */
  subflow: z.boolean().default(false),
  /** Taxonomy intents this flow serves. */
  intents: z.array(z.enum(INTENTS)).default([]),
  /** Tunables the runner may override from configuration, e.g. plan_share: 0.8. */
  params: z.record(id, z.union([z.number(), z.string()])).default({}),
  start: stepRef,
  steps: z.record(id, StepSchema),
});
export type Flow = z.infer<typeof FlowSchema>;

/**
 * A file holds one flow (FlowSchema), or several under `flows:` (shared.yaml, families with one flow per
 * intent). The loader picks the shape by the `flows` key rather than a zod union, so errors point into
 * the flow the author wrote instead of listing both alternatives.
 */
export const MultiFlowFileSchema = z.strictObject({ flows: z.array(FlowSchema).min(1) });

/** Yes/no answers of `confirm` and `resolved` asks. */
export const YES_NO = ['yes', 'no'] as const;
