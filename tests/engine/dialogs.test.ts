import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLAINT_INTENTS, checkFlows, formatProblems, stepEdges } from '../../src/engine/flow-checks.js';
import { FlowLoadError, loadFlows, parseFlowFile, type LoadedFlow } from '../../src/engine/flow-loader.js';

describe('the real dialogs', () => {
  let loaded: LoadedFlow[];
  beforeAll(async () => {
    loaded = await loadFlows();
  });

  it('load from one file per complaint family plus shared.yaml', () => {
    expect([...new Set(loaded.map((l) => l.file))].sort()).toEqual([
      'billing.yaml',
      'business.yaml',
      'network.yaml',
      'service.yaml',
      'shared.yaml',
    ]);
  });

  it('pass every static check', () => {
    const problems = checkFlows(loaded.map((l) => l.flow));
    expect(formatProblems(problems)).toBe('');
  });

  it('serve each complaint intent with exactly one flow', () => {
    expect(COMPLAINT_INTENTS).toHaveLength(9);
    for (const intent of COMPLAINT_INTENTS) {
      expect(loaded.filter((l) => l.flow.intents.includes(intent)), intent).toHaveLength(1);
    }
  });

  it('open service reminder tickets (催单) at priority high or above', () => {
    for (const id of ['install_delay', 'repair_delay']) {
      const flow = loaded.find((l) => l.flow.id === id)!.flow;
      const tickets = Object.values(flow.steps).filter((s) => s.kind === 'ticket');
      expect(tickets.length).toBeGreaterThan(0);
      for (const t of tickets) expect(['high', 'urgent']).toContain(t.kind === 'ticket' ? t.priority : '');
    }
  });

  it('keep the default plan share at 80 % for video and game lag', () => {
    expect(loaded.find((l) => l.flow.id === 'video_game_lag')!.flow.params.plan_share).toBe(0.8);
  });

  it('walk the network self-checks in the provider order', () => {
    const network = loaded.find((l) => l.flow.id === 'network')!.flow;
    const order = ['identify', 'outage', 'account_status', 'ask_error_code', 'auth_errors', 'device_lights', 'restart'];
    // Each step must be reachable from the previous one without passing through any later one.
    for (let i = 1; i < order.length; i++) {
      const from = order[i - 1]!;
      const to = order[i]!;
      const later = new Set(order.slice(i + 1));
      const seen = new Set<string>();
      const queue = [from];
      let found = false;
      while (queue.length > 0 && !found) {
        const id = queue.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        for (const edge of stepEdges(network.steps[id]!)) {
          if (edge.to === to) found = true;
          else if (!later.has(edge.to)) queue.push(edge.to);
        }
      }
      expect(found, `${from} → ${to}`).toBe(true);
    }
  });
});

describe('loading a bad file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dialogs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the file and the path of the bad value', async () => {
    await writeFile(
      path.join(dir, 'broken.yaml'),
      'id: demo\ntitle: 演示\nstart: hello\nsteps:\n  hello:\n    kind: check\n    check: weather\n    branches: {}\n',
    );
    const error = await loadFlows(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowLoadError);
    expect((error as FlowLoadError).file).toBe('broken.yaml');
    expect((error as Error).message).toMatch(/^broken\.yaml: .*steps\.hello\.check/);
  });

  it('names the file for YAML syntax errors', () => {
    expect(() => parseFlowFile('id: [unclosed\n', 'syntax.yaml')).toThrow(/^syntax\.yaml: YAML/);
  });

  it.each([
    ['an unknown slot', { kind: 'ask', slot: 'weather', message: '请问？', next: 'x' }, 'steps.s.slot'],
    ['an ask with neither next nor branches', { kind: 'ask', slot: 'text', message: '请问？' }, 'steps.s'],
    ['a choice without choices', { kind: 'ask', slot: 'choice', message: '请选择', next: 'x' }, 'steps.s.choices'],
    ['a say without next (a dead end)', { kind: 'say', message: '您好' }, 'steps.s.next'],
    ['an unknown step kind', { kind: 'dance' }, 'steps.s.kind'],
    ['an unknown outcome', { kind: 'end', outcome: 'maybe', message: '好的' }, 'steps.s.outcome'],
    ['a stray field', { kind: 'say', message: '您好', next: 'x', colour: 'red' }, 'steps.s'],
  ])('rejects %s', (_name, step, where) => {
    const text = JSON.stringify({ id: 'demo', title: '演示', start: 's', steps: { s: step } });
    expect(() => parseFlowFile(text, 'demo.yaml')).toThrow(new RegExp(`demo\\.yaml: .*${where.replace(/\./g, '\\.')}`));
  });

  it('rejects an unknown intent and a flows list entry by index', () => {
    const text = JSON.stringify({
      flows: [{ id: 'demo', title: '演示', intents: ['network.weather'], start: 's', steps: {} }],
    });
    expect(() => parseFlowFile(text, 'multi.yaml')).toThrow(/multi\.yaml: flows\[0\]\.intents\[0\]/);
  });
});
