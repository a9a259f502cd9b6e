import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tinyCorpus } from './support/tiny-corpus.js';

let corpusDir: string;

beforeAll(() => {
  corpusDir = tinyCorpus();
});

afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));

function classify(input: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli/classify.ts'), ...args], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input, 'utf8');
  });
}

describe('classify CLI', () => {
  it('trains when there is no model yet, then answers one JSON line per input line on stdout only', async () => {
    const model = path.join(corpusDir, 'fresh', 'nlu-model.json');
    const lines = ['上不了网，拨号报691', '', '我要投诉到工信部，转人工', '😂😂😂', 'x'.repeat(5000)];
    const { stdout, stderr, code } = await classify(`${lines.join('\n')}\n`, ['--corpus', corpusDir, '--model', model]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/no saved model/);
    expect(existsSync(model)).toBe(true);
    const out = stdout.trimEnd().split('\n');
    expect(out).toHaveLength(lines.length);
    const results = out.map((l) => JSON.parse(l));
    results.forEach((r, i) => {
      expect(Object.keys(r)).toEqual(['text', 'intent', 'score', 'category', 'entities', 'flags']);
      expect(r.text).toBe(lines[i]);
      expect(typeof r.score).toBe('number');
      expect(Array.isArray(r.entities) && Array.isArray(r.flags)).toBe(true);
    });
    expect(results[0].entities).toContainEqual({ type: 'error_code', value: '691', text: '691' });
    expect(results[1]).toMatchObject({ intent: 'none', category: 'other', flags: [] });
    expect(results[2].flags).toEqual(['escalation_risk']);
  });

  it('reads CRLF input and reuses the model it saved', async () => {
    const model = path.join(corpusDir, 'fresh', 'nlu-model.json');
    const { stdout, stderr, code } = await classify('你好\r\n谢谢\r\n', ['--corpus', corpusDir, '--model', model]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/using saved model/);
    expect(stdout.trimEnd().split('\n').map((l) => JSON.parse(l).text)).toEqual(['你好', '谢谢']);
  });
});
