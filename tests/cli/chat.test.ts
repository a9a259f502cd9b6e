import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'chat-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** `npm run chat` as a person uses it, with the lines typed piped in. */
function chat(lines: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=PINODEP008', '--disable-warning=DEP0111', '--import', 'tsx', 'src/cli/chat.ts'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, NLU_MODEL_PATH: inject('productModelPath') },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('npm run chat', () => {
  it('walks a customer through a complaint in the terminal with numbered options', async () => {
    const { code, stdout } = await chat(['宽带上不了网', 'ad88000004', '1', '没有', '好了可以了', '满意', 'exit']);
    expect(code).toBe(0);
    expect(stdout).toContain('请问遇到了什么情况');
    expect(stdout).toContain('刘*');
    expect(stdout).toContain('回复 1：是');
    expect(stdout).toContain('691');
    expect(stdout).toContain('很高兴问题已经解决');
    expect(stdout).toContain('感谢您的评价');
  }, 60_000);
});
