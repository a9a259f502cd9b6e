import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommonContent } from '../../src/engine/common-content.js';
import { DEFAULT_DIALOGS_DIR } from '../../src/engine/flow-loader.js';

let copy: string | undefined;
afterEach(() => copy && rmSync(copy, { recursive: true, force: true }));

function dialogsWith(file: string, edit: (text: string) => string): string {
  copy = mkdtempSync(path.join(tmpdir(), 'dialogs-'));
  cpSync(DEFAULT_DIALOGS_DIR, copy, { recursive: true });
  const target = path.join(copy, 'common', file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return copy;
}

describe("the bot's own lines (dialogs/common)", () => {
  it('load, and every customer-facing line is Chinese', () => {
    const { texts } = loadCommonContent();
    expect(texts.topics['network.slow']).toBe('网速慢');
    expect(texts.welcome).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a missing line stops start-up naming the file and the key', () => {
    const dir = dialogsWith('replies.yaml', (t) => t.replace(/^goodbye: .*$/m, ''));
    expect(() => loadCommonContent(dir)).toThrow(/replies\.yaml[\s\S]*goodbye/);
  });

  it('an English line is refused', () => {
    const dir = dialogsWith('replies.yaml', (t) => t.replace(/^cancelled: .*$/m, 'cancelled: Cancelled.'));
    expect(() => loadCommonContent(dir)).toThrow(/Chinese[\s\S]*cancelled/);
  });

  it('a complaint topic without a label is refused', () => {
    const dir = dialogsWith('replies.yaml', (t) => t.replace(/^ {2}billing\.dispute: .*$/m, ''));
    expect(() => loadCommonContent(dir)).toThrow(/billing\.dispute/);
  });
});
