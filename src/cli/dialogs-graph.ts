/**
 * `npm run dialogs:graph`: validates dialogs/*.yaml and writes one Mermaid diagram per flow to
 * data/reports/dialogs.md (or the path given with --out). Broken flows fail the command, because a
 * diagram of a flow that cannot run would mislead the analyst reading it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFlows, formatProblems } from '../engine/flow-checks.js';
import { flowsToMarkdown } from '../engine/flow-graph.js';
import { DEFAULT_DIALOGS_DIR, loadFlows } from '../engine/flow-loader.js';

const DEFAULT_OUT = fileURLToPath(new URL('../../data/reports/dialogs.md', import.meta.url));

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const dir = path.resolve(option('--dialogs') ?? DEFAULT_DIALOGS_DIR);
  const out = path.resolve(option('--out') ?? DEFAULT_OUT);
  const flows = await loadFlows(dir);
  const problems = checkFlows(flows.map((f) => f.flow));
  if (problems.length > 0) {
    process.stderr.write(`dialogs have ${problems.length} problem(s):\n${formatProblems(problems)}\n`);
    process.exitCode = 1;
    return;
  }
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, flowsToMarkdown(flows), 'utf8');
  process.stdout.write(`${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
