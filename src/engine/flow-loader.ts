/**
 * Reads and validates dialogs/*.yaml. A bad file stops start-up with the file name and the path of the
 * offending value, because a flow author has to find the mistake without reading zod internals.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { FlowSchema, MultiFlowFileSchema, type Flow } from './flow-schema.js';

export const DEFAULT_DIALOGS_DIR = fileURLToPath(new URL('../../dialogs/', import.meta.url));

export interface LoadedFlow {
  flow: Flow;
  /** File name relative to the dialogs directory, for error messages and the diagram. */
  file: string;
}

export class FlowLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'FlowLoadError';
  }
}

function formatPath(segments: readonly PropertyKey[]): string {
  if (segments.length === 0) return '(file)';
  return segments.map((s) => (typeof s === 'number' ? `[${s}]` : String(s))).join('.').replace(/\.\[/g, '[');
}

/** Parses one file's text; `file` is only used in errors. */
export function parseFlowFile(text: string, file: string): Flow[] {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new FlowLoadError(file, doc.errors.map((e) => `YAML ${e.message}`));
  }
  const raw: unknown = doc.toJS();
  const isMulti = typeof raw === 'object' && raw !== null && 'flows' in raw;
  const result = isMulti ? MultiFlowFileSchema.safeParse(raw) : FlowSchema.safeParse(raw);
  if (!result.success) {
    throw new FlowLoadError(
      file,
      result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return 'flows' in result.data ? result.data.flows : [result.data];
}

/** Every *.yaml / *.yml in `dir`, in file-name order so diagrams and errors are stable. */
export async function loadFlows(dir: string = DEFAULT_DIALOGS_DIR): Promise<LoadedFlow[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const loaded: LoadedFlow[] = [];
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    for (const flow of parseFlowFile(text, name)) loaded.push({ flow, file: name });
  }
  return loaded;
}
