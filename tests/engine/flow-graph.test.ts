import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepEdges } from '../../src/engine/flow-checks.js';
import { flowToMermaid, flowsToMarkdown } from '../../src/engine/flow-graph.js';
import { loadFlows, type LoadedFlow } from '../../src/engine/flow-loader.js';

const run = promisify(execFile);

describe('dialog diagrams', () => {
  let loaded: LoadedFlow[];
  beforeAll(async () => {
    loaded = await loadFlows();
  });

  it('draw every step of every flow as a node and every transition as an edge', () => {
    for (const { flow } of loaded) {
      const mermaid = flowToMermaid(flow);
      expect(mermaid.startsWith('flowchart TD')).toBe(true);
      for (const [id, step] of Object.entries(flow.steps)) {
        const node = `${flow.id}__${id}`;
        // A node definition: the id directly followed by a shape opener.
        expect(mermaid, `${flow.id}.${id}`).toMatch(new RegExp(`^  ${node}[[({/]`, 'm'));
        expect(mermaid).toContain(`<small>${id}</small>`);
        for (const edge of stepEdges(step)) {
          expect(mermaid).toMatch(new RegExp(`^  ${node} -->(\\|[^|]*\\|)? ${flow.id}__${edge.to}$`, 'm'));
        }
      }
    }
  });

  it('label steps in Chinese with their kind and edges with Chinese answers', () => {
    const network = loaded.find((l) => l.flow.id === 'network')!.flow;
    const mermaid = flowToMermaid(network);
    expect(mermaid).toContain('后台查询：查询区域网络故障');
    expect(mermaid).toContain('确认是否解决：');
    expect(mermaid).toContain('|"后台不可用"|');
    expect(mermaid).toContain('|"欠费"|');
    expect(mermaid).toContain('测速 ≥ 套餐速率 × 80%');
    // Quotes in a label would end it early: every node line holds exactly its two delimiting quotes.
    const nodeLines = mermaid.split('\n').filter((l) => /^  \S+[[({/]"/.test(l));
    expect(nodeLines).toHaveLength(Object.keys(network.steps).length);
    for (const line of nodeLines) expect(line.split('"')).toHaveLength(3);
  });

  it('write one section per flow with a mermaid block', () => {
    const md = flowsToMarkdown(loaded);
    for (const { flow } of loaded) expect(md).toContain(`## ${flow.title}（${flow.id}）`);
    expect(md.match(/```mermaid/g)).toHaveLength(loaded.length);
  });

  it('dialogs:graph writes the report and prints its path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dialogs-graph-'));
    try {
      const out = path.join(dir, 'dialogs.md');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/dialogs-graph.ts', '--out', out], {
        cwd: path.resolve(import.meta.dirname, '../..'),
      });
      expect(stdout.trim()).toBe(out);
      expect(await readFile(out, 'utf8')).toContain('```mermaid');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
