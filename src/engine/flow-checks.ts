/**
 * Static checks over all flows at once. The schema proves each file is well-formed; these prove the flows
 * can actually be run: no conversation can get stuck, every reference resolves, customers only ever see
 * Chinese, and every complaint intent has exactly one flow.
 */
import { INTENTS, categoryOf, type Intent } from '../nlu/taxonomy.js';
import {
  BUILTIN_VALUES,
  CHECK_OUTCOMES,
  CHECK_PROVIDES,
  YES_NO,
  type Flow,
  type Step,
} from './flow-schema.js';

export type FlowProblemCode =
  | 'duplicate-flow'
  | 'unknown-step'
  | 'unknown-subflow'
  | 'unknown-outcome'
  | 'missing-outcome'
  | 'missing-branch'
  | 'unreachable-step'
  | 'no-exit'
  | 'empty-message'
  | 'not-chinese'
  | 'too-long'
  | 'no-apology'
  | 'ticket-end-without-ticket'
  | 'unknown-placeholder'
  | 'unknown-param'
  | 'bad-target'
  | 'misplaced-return'
  | 'subflow-intents'
  | 'intent-not-served'
  | 'intent-served-twice';

export interface FlowProblem {
  code: FlowProblemCode;
  /** `flow` or `flow.step`; empty for problems about the whole set. */
  where: string;
  message: string;
}

/** The complaint intents that must each have exactly one flow. */
export const COMPLAINT_INTENTS: readonly Intent[] = INTENTS.filter((intent) => {
  const category = categoryOf(intent);
  return category === 'network' || category === 'business' || category === 'service' || intent === 'billing.dispute';
});

const CHINESE = /[\u4e00-\u9fff]/;
/** Chat bubbles stay short; placeholders are not counted because their values are short facts. */
export const MAX_MESSAGE_CHARS = 80;
/** The service rule: a closing message apologises first, in its first clause, then says what happens. */
const APOLOGY_FIRST = /^[^，。！？,.!?]*(抱歉|歉意|致歉|对不起)/;
const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Every (label, target) edge leaving a step, in a stable order. Shared with the diagram. */
export function stepEdges(step: Step): Array<{ label: string; to: string }> {
  switch (step.kind) {
    case 'say':
    case 'use':
    case 'ticket':
    case 'forget':
      return [{ label: '', to: step.next }];
    case 'ask':
      return step.branches
        ? Object.entries(step.branches).map(([label, to]) => ({ label, to }))
        : [{ label: '', to: step.next ?? '' }];
    case 'check':
      return Object.entries(step.branches).map(([label, to]) => ({ label, to }));
    case 'confirm_resolved':
      return [
        { label: 'yes', to: step.yes },
        { label: 'no', to: step.next },
      ];
    case 'branch':
      return [
        ...step.cases.map((c) => ({ label: conditionLabel(c.when), to: c.next })),
        { label: 'otherwise', to: step.otherwise },
      ];
    case 'handoff':
    case 'end':
    case 'return':
      return [];
  }
}

export function conditionLabel(when: {
  key: string;
  op: string;
  value?: unknown;
  ref?: string;
  share?: number | string;
}): string {
  const rhs = when.ref ? `${when.ref}${when.share !== undefined ? ` × ${when.share}` : ''}` : JSON.stringify(when.value ?? '');
  return when.op === 'exists' || when.op === 'missing' ? `${when.key} ${when.op}` : `${when.key} ${when.op} ${rhs}`;
}

/** Customer-facing (or agent-facing, for ticket summaries) texts of a step, with where they sit. */
function stepTexts(step: Step): Array<{ field: string; text: string; customer?: boolean }> {
  switch (step.kind) {
    case 'say':
    case 'handoff':
    case 'end':
    case 'confirm_resolved':
      return [{ field: 'message', text: step.message, customer: true }];
    case 'ask':
      return [
        { field: 'message', text: step.message, customer: true },
        ...(step.choices ?? []).map((c, i) => ({ field: `choices[${i}].label`, text: c.label, customer: true })),
      ];
    case 'ticket':
      return [{ field: 'summary', text: step.summary }];
    default:
      return [];
  }
}

function isTerminal(step: Step, flow: Flow): boolean {
  return step.kind === 'end' || step.kind === 'handoff' || (step.kind === 'return' && flow.subflow);
}

/** Values a flow can know: builtins, its own and its sub-flows' `store` keys, and what its checks provide. */
function knownValues(flow: Flow, byId: Map<string, Flow>, seen = new Set<string>()): Set<string> {
  const known = new Set<string>(BUILTIN_VALUES);
  if (seen.has(flow.id)) return known;
  seen.add(flow.id);
  for (const step of Object.values(flow.steps)) {
    if (step.kind === 'ask' && step.store) known.add(step.store);
    if (step.kind === 'check') for (const v of CHECK_PROVIDES[step.check]) known.add(v);
    if (step.kind === 'use') {
      const sub = byId.get(step.flow);
      if (sub) for (const v of knownValues(sub, byId, seen)) known.add(v);
    }
  }
  return known;
}

function checkFlow(flow: Flow, byId: Map<string, Flow>, problems: FlowProblem[]): void {
  const add = (code: FlowProblemCode, step: string | null, message: string) =>
    problems.push({ code, where: step ? `${flow.id}.${step}` : flow.id, message });
  const steps = flow.steps;
  const has = (id: string) => Object.hasOwn(steps, id);

  if (flow.subflow && flow.intents.length > 0) add('subflow-intents', null, 'a sub-flow serves no intent; call it with `use`');
  if (!has(flow.start)) add('unknown-step', null, `start points to unknown step "${flow.start}"`);

  const known = knownValues(flow, byId);
  for (const [id, step] of Object.entries(steps)) {
    for (const edge of stepEdges(step)) {
      if (!has(edge.to)) add('unknown-step', id, `${edge.label || 'next'} points to unknown step "${edge.to}"`);
    }
    for (const { field, text, customer } of stepTexts(step)) {
      if (text.trim() === '') add('empty-message', id, `${field} is empty`);
      else if (!CHINESE.test(text)) add('not-chinese', id, `${field} has no Chinese: "${text}"`);
      const visible = text.replace(PLACEHOLDER, '').length;
      if (customer && visible > MAX_MESSAGE_CHARS) {
        add('too-long', id, `${field} has ${visible} characters; keep it under ${MAX_MESSAGE_CHARS}`);
      }
      for (const m of text.matchAll(PLACEHOLDER)) {
        const name = (m[1] ?? '').trim();
        if (!known.has(name)) add('unknown-placeholder', id, `${field} uses {${name}}, which nothing collects`);
      }
    }

    if ((step.kind === 'end' || step.kind === 'handoff') && step.message.trim() !== '' && !APOLOGY_FIRST.test(step.message)) {
      add('no-apology', id, 'a closing message starts with an apology (抱歉 / 歉意 / 致歉) before saying what happens');
    }

    switch (step.kind) {
      case 'use': {
        const sub = byId.get(step.flow);
        if (!sub || !sub.subflow) add('unknown-subflow', id, `uses unknown sub-flow "${step.flow}"`);
        break;
      }
      case 'return':
        if (!flow.subflow) add('misplaced-return', id, '`return` only makes sense in a sub-flow');
        break;
      case 'check': {
        const outcomes: readonly string[] = CHECK_OUTCOMES[step.check];
        for (const key of Object.keys(step.branches)) {
          if (!outcomes.includes(key)) add('unknown-outcome', id, `check ${step.check} has no outcome "${key}"`);
        }
        for (const outcome of outcomes) {
          if (!Object.hasOwn(step.branches, outcome)) add('missing-outcome', id, `check ${step.check}: no branch for "${outcome}"`);
        }
        break;
      }
      case 'ask': {
        if (!step.branches) break;
        const expected: readonly string[] =
          step.slot === 'choice'
            ? (step.choices ?? []).map((c) => c.value)
            : step.slot === 'confirm' || step.slot === 'resolved'
              ? YES_NO
              : [];
        if (expected.length === 0) {
          add('missing-branch', id, `slot ${step.slot} cannot branch; use \`next\` and a branch step`);
          break;
        }
        for (const key of Object.keys(step.branches)) {
          if (!expected.includes(key)) add('unknown-outcome', id, `answer "${key}" is not one of ${expected.join('/')}`);
        }
        for (const key of expected) {
          if (!Object.hasOwn(step.branches, key)) add('missing-branch', id, `no branch for answer "${key}"`);
        }
        break;
      }
      case 'branch':
        for (const c of step.cases) {
          if (typeof c.when.share === 'string' && !Object.hasOwn(flow.params, c.when.share)) {
            add('unknown-param', id, `share refers to unknown param "${c.when.share}"`);
          }
        }
        break;
      case 'confirm_resolved': {
        const target = steps[step.yes];
        if (target && !(target.kind === 'end' && target.outcome === 'resolved')) {
          add('bad-target', id, `yes must lead to an end with outcome resolved, not "${step.yes}"`);
        }
        break;
      }
      case 'ticket': {
        const target = steps[step.next];
        if (target && !(target.kind === 'end' && target.outcome === 'ticket')) {
          add('bad-target', id, `a ticket must lead to an end with outcome ticket, not "${step.next}"`);
        }
        break;
      }
      default:
        break;
    }
  }

  // A ticket end announces {ticket_number}: only a ticket step may lead there, or the number is invented.
  for (const [id, step] of Object.entries(steps)) {
    for (const edge of stepEdges(step)) {
      const target = steps[edge.to];
      if (target?.kind === 'end' && target.outcome === 'ticket' && step.kind !== 'ticket') {
        add('ticket-end-without-ticket', id, `leads to ticket end "${edge.to}" without opening a ticket`);
      }
    }
  }

  // Reachability from start.
  const reached = new Set<string>();
  const queue = has(flow.start) ? [flow.start] : [];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const edge of stepEdges(steps[id]!)) if (has(edge.to) && !reached.has(edge.to)) queue.push(edge.to);
  }
  for (const id of Object.keys(steps)) {
    if (!reached.has(id)) add('unreachable-step', id, 'no path from start reaches this step');
  }

  // Every step must be able to reach a terminal; this catches dead ends and loops with no way out.
  // A fixpoint over "some successor can exit" is enough because loops are allowed as long as one exits.
  const canExit = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [id, step] of Object.entries(steps)) {
      if (canExit.has(id)) continue;
      const exits =
        isTerminal(step, flow) || stepEdges(step).some((edge) => canExit.has(edge.to));
      if (exits) {
        canExit.add(id);
        changed = true;
      }
    }
  }
  for (const id of Object.keys(steps)) {
    if (reached.has(id) && !canExit.has(id)) {
      add('no-exit', id, 'no path from here ends in resolved, explained, ticket or handoff');
    }
  }
}

/** All problems across the given flows; an empty list means the dialogs are fit to run. */
export function checkFlows(flows: readonly Flow[]): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const byId = new Map<string, Flow>();
  for (const flow of flows) {
    if (byId.has(flow.id)) problems.push({ code: 'duplicate-flow', where: flow.id, message: `flow id "${flow.id}" is used twice` });
    else byId.set(flow.id, flow);
  }
  for (const flow of flows) checkFlow(flow, byId, problems);

  const servedBy = new Map<string, string[]>();
  for (const flow of flows) {
    if (flow.subflow) continue;
    for (const intent of flow.intents) servedBy.set(intent, [...(servedBy.get(intent) ?? []), flow.id]);
  }
  for (const intent of COMPLAINT_INTENTS) {
    const owners = servedBy.get(intent) ?? [];
    if (owners.length === 0) problems.push({ code: 'intent-not-served', where: '', message: `no flow serves ${intent}` });
    if (owners.length > 1) {
      problems.push({ code: 'intent-served-twice', where: '', message: `${intent} is served by ${owners.join(', ')}` });
    }
  }
  return problems;
}

export function formatProblems(problems: readonly FlowProblem[]): string {
  return problems.map((p) => `[${p.code}] ${p.where ? `${p.where}: ` : ''}${p.message}`).join('\n');
}
