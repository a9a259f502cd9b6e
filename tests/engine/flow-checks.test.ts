import { beforeAll, describe, expect, it } from 'vitest';
import { checkFlows, type FlowProblemCode } from '../../src/engine/flow-checks.js';
import { FlowSchema, type Flow } from '../../src/engine/flow-schema.js';
import { loadFlows } from '../../src/engine/flow-loader.js';

/** Builds a flow through the schema so defaults apply exactly as when loading YAML. */
function flow(raw: Record<string, unknown>): Flow {
  return FlowSchema.parse({ id: 'demo', title: '演示', start: 'hello', ...raw });
}

const end = { kind: 'end', outcome: 'explained', message: '抱歉，已为您说明。' };
const resolved = { kind: 'end', outcome: 'resolved', message: '抱歉耽误您了，很高兴问题已解决。' };

const subflow = flow({
  id: 'sub',
  subflow: true,
  start: 'a',
  steps: { a: { kind: 'ask', slot: 'text', message: '请描述一下情况。', store: 'details', next: 'back' }, back: { kind: 'return' } },
});

/** Problems of the given flows, without the intent-coverage ones a small test set always has. */
function codes(flows: Flow[]): FlowProblemCode[] {
  return [
    ...new Set(
      checkFlows(flows)
        .map((p) => p.code)
        .filter((c) => c !== 'intent-not-served' && c !== 'intent-served-twice'),
    ),
  ].sort();
}

describe('static checks', () => {
  it('accept a small sound flow', () => {
    const ok = flow({
      steps: {
        hello: { kind: 'use', flow: 'sub', next: 'tried' },
        tried: { kind: 'confirm_resolved', message: '请重启后再试，好了吗？', evidence: '重启', next: 'ticket' },
        ticket: { kind: 'ticket', category: 'network', summary: '未解决：{details}', next: 'opened' },
        opened: { kind: 'end', outcome: 'ticket', message: '抱歉，已派单，工单号 {ticket_number}。' },
        resolved,
      },
    });
    expect(codes([ok, subflow])).toEqual([]);
  });

  const cases: Array<[string, Record<string, unknown>, FlowProblemCode[]]> = [
    ['next to an unknown step', { steps: { hello: { kind: 'say', message: '您好', next: 'nowhere' } } }, ['no-exit', 'unknown-step']],
    ['start at an unknown step', { start: 'nowhere', steps: { hello: end } }, ['unknown-step', 'unreachable-step']],
    ['an unknown sub-flow', { steps: { hello: { kind: 'use', flow: 'missing', next: 'bye' }, bye: end } }, ['unknown-subflow']],
    [
      'a check missing the unavailable outcome',
      { steps: { hello: { kind: 'check', check: 'outage', branches: { active: 'bye', none: 'bye' } }, bye: end } },
      ['missing-outcome'],
    ],
    [
      'a check with an outcome it never gives',
      {
        steps: {
          hello: { kind: 'check', check: 'outage', branches: { active: 'bye', none: 'bye', unavailable: 'bye', maybe: 'bye' } },
          bye: end,
        },
      },
      ['unknown-outcome'],
    ],
    [
      'a yes/no question without a no branch',
      { steps: { hello: { kind: 'ask', slot: 'confirm', message: '是吗？', branches: { yes: 'bye' } }, bye: end } },
      ['missing-branch'],
    ],
    [
      'a choice with a branch missing',
      {
        steps: {
          hello: {
            kind: 'ask',
            slot: 'choice',
            message: '请选择：',
            choices: [
              { value: 'a', label: '甲' },
              { value: 'b', label: '乙' },
            ],
            branches: { a: 'bye' },
          },
          bye: end,
        },
      },
      ['missing-branch'],
    ],
    ['an orphan step', { steps: { hello: end, orphan: { kind: 'say', message: '多余', next: 'hello' } } }, ['unreachable-step']],
    [
      'a loop with no exit',
      {
        steps: {
          hello: { kind: 'say', message: '第一步', next: 'again' },
          again: { kind: 'ask', slot: 'text', message: '再说一次？', next: 'hello' },
        },
      },
      ['no-exit'],
    ],
    ['an empty message', { steps: { hello: { ...end, message: '   ' } } }, ['empty-message']],
    ['an English message', { steps: { hello: { ...end, message: 'Sorry, please wait.' } } }, ['no-apology', 'not-chinese']],
    [
      'an English choice label',
      {
        steps: {
          hello: {
            kind: 'ask',
            slot: 'choice',
            message: '请选择：',
            choices: [
              { value: 'a', label: 'Yes' },
              { value: 'b', label: '乙' },
            ],
            next: 'bye',
          },
          bye: end,
        },
      },
      ['not-chinese'],
    ],
    ['a placeholder nothing collects', { steps: { hello: { ...end, message: '抱歉，您的账号是 {nobody}。' } } }, ['unknown-placeholder']],
    [
      'a share naming an unknown param',
      {
        steps: {
          hello: {
            kind: 'branch',
            cases: [{ when: { key: 'speed_mbps', op: 'gte', ref: 'plan_mbps', share: 'nope' }, next: 'bye' }],
            otherwise: 'bye',
          },
          bye: end,
        },
      },
      ['unknown-param'],
    ],
    [
      'a resolved answer leading somewhere else than a resolved end',
      { steps: { hello: { kind: 'confirm_resolved', message: '好了吗？', evidence: '重启', yes: 'bye', next: 'bye' }, bye: end } },
      ['bad-target'],
    ],
    [
      'a confirm_resolved without a resolved step to default to',
      { steps: { hello: { kind: 'confirm_resolved', message: '好了吗？', evidence: '重启', next: 'bye' }, bye: end } },
      ['unknown-step'],
    ],
    [
      'a ticket not followed by a ticket end',
      { steps: { hello: { kind: 'ticket', category: 'billing', summary: '资费争议', next: 'bye' }, bye: end } },
      ['bad-target'],
    ],
    ['a closing message without an apology first', { steps: { hello: { ...end, message: '已为您说明，抱歉。' } } }, ['no-apology']],
    [
      'a handoff without an apology',
      { steps: { hello: { kind: 'handoff', message: '正在为您转接人工客服。' } } },
      ['no-apology'],
    ],
    ['a message too long for a chat bubble', { steps: { hello: { ...end, message: `抱歉，${'请稍候'.repeat(30)}` } } }, ['too-long']],
    [
      'a ticket end reached without opening a ticket',
      { steps: { hello: { kind: 'say', message: '抱歉。', next: 'opened' }, opened: { ...end, outcome: 'ticket' } } },
      ['ticket-end-without-ticket'],
    ],
    ['a return outside a sub-flow', { steps: { hello: { kind: 'return' } } }, ['misplaced-return', 'no-exit']],
    ['a sub-flow serving an intent', { subflow: true, intents: ['billing.dispute'], steps: { hello: end } }, ['subflow-intents']],
  ];

  it.each(cases)('reject %s', (_name, raw, expected) => {
    expect(codes([flow(raw), subflow])).toEqual([...expected].sort());
  });

  it('reject a `use` of a flow that is not a sub-flow', () => {
    const caller = flow({ steps: { hello: { kind: 'use', flow: 'other', next: 'bye' }, bye: end } });
    const other = flow({ id: 'other', steps: { hello: end } });
    expect(codes([caller, other])).toEqual(['unknown-subflow']);
  });

  it('reject two flows with the same id', () => {
    expect(codes([flow({ steps: { hello: end } }), flow({ steps: { hello: end } })])).toEqual(['duplicate-flow']);
  });

  it('accept a loop that has an exit (a retry)', () => {
    const retry = flow({
      steps: {
        hello: { kind: 'ask', slot: 'confirm', message: '再试一次吗？', branches: { yes: 'hello', no: 'bye' } },
        bye: end,
      },
    });
    expect(codes([retry])).toEqual([]);
  });

  describe('intent coverage', () => {
    let real: Flow[];
    beforeAll(async () => {
      real = (await loadFlows()).map((l) => l.flow);
    });

    it('reject a complaint intent no flow serves', () => {
      const flows = real.map((f) =>
        f.id === 'billing_dispute' ? { ...f, intents: [] } : f,
      );
      const problems = checkFlows(flows);
      expect(problems.map((p) => p.code)).toEqual(['intent-not-served']);
      expect(problems[0]!.message).toContain('billing.dispute');
    });

    it('reject a complaint intent two flows serve', () => {
      const flows = real.map((f) =>
        f.id === 'staff_attitude' ? { ...f, intents: [...f.intents, 'billing.dispute' as const] } : f,
      );
      const problems = checkFlows(flows);
      expect(problems.map((p) => p.code)).toEqual(['intent-served-twice']);
      expect(problems[0]!.message).toMatch(/billing\.dispute.*billing_dispute.*staff_attitude/);
    });
  });
});
