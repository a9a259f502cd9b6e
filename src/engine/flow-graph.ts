/**
 * Renders flows as Mermaid diagrams for business analysts: every step is a node labelled with its kind in
 * Chinese and a short Chinese summary, every edge with the answer or outcome in Chinese. Step ids stay
 * visible (small, in brackets) so analysts and developers can talk about the same box.
 */
import { stepEdges } from './flow-checks.js';
import type { CheckName, Condition, Flow, Step, StepKind } from './flow-schema.js';

const KIND_LABELS: Record<StepKind, string> = {
  say: '告知',
  ask: '询问',
  check: '后台查询',
  confirm_resolved: '确认是否解决',
  branch: '判断',
  ticket: '派单',
  handoff: '转人工',
  end: '结束',
  use: '子流程',
  forget: '清除',
  return: '返回',
};

const CHECK_LABELS: Record<CheckName, string> = {
  find_account: '查询宽带账号',
  outage: '查询区域网络故障',
  account_status: '查询账户状态（欠费/停机）',
  auth_errors: '查询认证错误（691/678/651）',
  install_order: '查询装机/移机工单时限',
  repair_order: '查询维修工单时限',
  site_blocked: '查询网站是否封堵',
  egress_fault: '查询出口故障',
};

const PRIORITY_LABELS: Record<string, string> = { normal: '普通', high: '高', urgent: '紧急' };

const OUTCOME_LABELS: Record<string, string> = {
  resolved: '已解决',
  explained: '已解释',
  ticket: '已派单',
  handoff: '转人工',
};

const EDGE_LABELS: Record<string, string> = {
  yes: '是',
  no: '否',
  found: '查到',
  not_found: '未查到',
  unavailable: '后台不可用',
  active: '有故障',
  none: '无',
  arrears: '欠费',
  suspended: '停机',
  password: '691 账号/密码',
  line: '678/651 线路/光猫',
  other: '其他代码',
  within_time: '未超时限',
  overdue: '已超时限',
  done: '已完成',
  blocked: '已封堵',
  not_blocked: '未封堵',
  otherwise: '其他情况',
};

/** Names of collected values as an analyst would say them. */
const VALUE_LABELS: Record<string, string> = {
  intent: '投诉类型',
  speed_mbps: '测速',
  retest_speed_mbps: '复测速率',
  plan_mbps: '套餐速率',
};

const OP_LABELS: Record<string, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  in: '属于',
  exists: '已提供',
  missing: '未提供',
};

function shorten(text: string, max = 28): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Mermaid accepts HTML entities in quoted labels; quotes and angle brackets must not leak through. */
function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function nodeId(flow: Flow, stepId: string): string {
  return `${flow.id}__${stepId}`;
}

/** `titles` maps sub-flow ids to their Chinese titles, so a `use` box reads as what it does. */
function summary(step: Step, titles: ReadonlyMap<string, string>): string {
  switch (step.kind) {
    case 'say':
    case 'ask':
    case 'confirm_resolved':
    case 'handoff':
      return shorten(step.message);
    case 'check':
      return CHECK_LABELS[step.check];
    case 'branch':
      return step.cases.length === 1 ? '条件是否满足' : '按条件分流';
    case 'ticket':
      return `${shorten(step.summary, 20)}（优先级不低于「${PRIORITY_LABELS[step.priority]}」）`;
    case 'end':
      return `${OUTCOME_LABELS[step.outcome]}：${shorten(step.message, 20)}`;
    case 'use':
      return titles.get(step.flow) ?? step.flow;
    case 'forget':
      return '清除未核实的信息';
    case 'return':
      return '回到调用的流程';
  }
}

function describeCondition(when: Condition, flow: Flow): string {
  const name = (key: string) => VALUE_LABELS[key] ?? key;
  if (when.op === 'exists' || when.op === 'missing') return `${name(when.key)}${OP_LABELS[when.op]}`;
  let rhs: string;
  if (when.ref) {
    const share = typeof when.share === 'string' ? flow.params[when.share] : when.share;
    rhs = name(when.ref) + (typeof share === 'number' ? ` × ${Math.round(share * 100)}%` : share ? ` × ${share}` : '');
  } else {
    rhs = Array.isArray(when.value) ? when.value.join('/') : String(when.value ?? '');
  }
  return `${name(when.key)} ${OP_LABELS[when.op] ?? when.op} ${rhs}`;
}

function edgeLabel(step: Step, label: string, index: number, flow: Flow): string {
  if (step.kind === 'ask' && step.slot === 'choice') {
    return step.choices?.find((c) => c.value === label)?.label ?? label;
  }
  if (step.kind === 'check' && step.check === 'account_status' && label === 'active') return '正常';
  if (step.kind === 'confirm_resolved') return label === 'yes' ? '已解决' : '未解决';
  if (step.kind === 'branch' && label !== 'otherwise') {
    const c = step.cases[index];
    return c ? describeCondition(c.when, flow) : label;
  }
  return EDGE_LABELS[label] ?? label;
}

/** `label` is already escaped. */
function nodeShape(step: Step, id: string, label: string): string {
  const q = `"${label}"`;
  switch (step.kind) {
    case 'check':
      return `${id}{{${q}}}`;
    case 'branch':
      return `${id}{${q}}`;
    case 'ask':
    case 'confirm_resolved':
      return `${id}[/${q}/]`;
    case 'use':
    case 'ticket':
      return `${id}[[${q}]]`;
    case 'end':
    case 'handoff':
    case 'return':
      return `${id}([${q}])`;
    default:
      return `${id}[${q}]`;
  }
}

/** One Mermaid `flowchart TD` for a flow. */
export function flowToMermaid(flow: Flow, titles: ReadonlyMap<string, string> = new Map()): string {
  const lines = ['flowchart TD'];
  lines.push(`  ${flow.id}__start((开始)) --> ${nodeId(flow, flow.start)}`);
  for (const [stepId, step] of Object.entries(flow.steps)) {
    // Escape the customer text first, then add the only markup we want (line break, small step id).
    const label = `${escapeLabel(`${KIND_LABELS[step.kind]}：${summary(step, titles)}`)}<br/><small>${stepId}</small>`;
    lines.push(`  ${nodeShape(step, nodeId(flow, stepId), label)}`);
    stepEdges(step).forEach((edge, index) => {
      const label = edge.label ? edgeLabel(step, edge.label, index, flow) : '';
      const arrow = label ? `-->|"${escapeLabel(label)}"|` : '-->';
      lines.push(`  ${nodeId(flow, stepId)} ${arrow} ${nodeId(flow, edge.to)}`);
    });
    if (step.kind === 'end') lines.push(`  class ${nodeId(flow, stepId)} outcome_${step.outcome}`);
    if (step.kind === 'handoff') lines.push(`  class ${nodeId(flow, stepId)} outcome_handoff`);
    if (step.kind === 'ticket') lines.push(`  class ${nodeId(flow, stepId)} ticket`);
  }
  lines.push(
    '  classDef outcome_resolved fill:#d4edda,stroke:#28a745',
    '  classDef outcome_explained fill:#d1ecf1,stroke:#17a2b8',
    '  classDef outcome_ticket fill:#fff3cd,stroke:#ffc107',
    '  classDef outcome_handoff fill:#f8d7da,stroke:#dc3545',
    '  classDef ticket fill:#ffe8a1,stroke:#e0a800',
  );
  return lines.join('\n');
}

/** The whole report: one section per flow, complaint flows first, then shared sub-flows. */
export function flowsToMarkdown(flows: ReadonlyArray<{ flow: Flow; file: string }>): string {
  const ordered = [...flows].sort((a, b) => Number(a.flow.subflow) - Number(b.flow.subflow));
  const parts = [
    '# 宽带投诉对话流程图',
    '',
    '由 `npm run dialogs:graph` 根据 `dialogs/*.yaml` 自动生成，请勿手工修改。',
    '',
    '图例：方框 = 告知；平行四边形 = 询问客户；六边形 = 后台查询；菱形 = 判断；双线框 = 派单或子流程；圆角 = 结束（绿色 已解决，蓝色 已解释，黄色 已派单，红色 转人工）。',
    '',
  ];
  const titles = new Map(flows.map(({ flow }) => [flow.id, flow.title] as const));
  for (const { flow, file } of ordered) {
    parts.push(`## ${flow.title}（${flow.id}）`, '');
    parts.push(
      flow.subflow ? `共享子流程，文件 \`${file}\`。` : `服务的意图：${flow.intents.join('、')}；文件 \`${file}\`。`,
      '',
    );
    parts.push('```mermaid', flowToMermaid(flow, titles), '```', '');
  }
  return parts.join('\n');
}
