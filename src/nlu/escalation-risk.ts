import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The data behind the `escalation_risk` flag (corpus/escalation-risk.json). Keys of `phrases` and
 * `patterns` are kinds, with two prefixes that let the data, not the code, say how a list is used:
 * - `kind`      : any literal phrase / regex match raises the flag and reports `kind` as a reason;
 * - `_name`     : a vocabulary, never fires alone; a pattern writes `{_name}` to mean "one of them"
 *                 (the phrases of `_name` escaped, plus the regex fragments of `patterns._name`);
 * - `not_name`  : a non-threat context ("12345是什么电话", "工信部的网站打不开"); its matches are
 *                 blanked out before any kind is matched, so the rest of the message still counts.
 * `negatives` are utterances that must not raise the flag; the tests hold the detector to them.
 */
export interface EscalationRiskData {
  phrases: Record<string, string[]>;
  patterns: Record<string, string[]>;
  negatives: string[];
}

const DataSchema = z.object({
  phrases: z.record(z.string(), z.array(z.string().min(1))),
  patterns: z.record(z.string(), z.array(z.string().min(1))),
  negatives: z.array(z.string()),
});

const DEFAULT_PATH = fileURLToPath(new URL('../../corpus/escalation-risk.json', import.meta.url));

export function loadEscalationRiskData(path: string = DEFAULT_PATH): EscalationRiskData {
  return DataSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

const VOCABULARY = /^_/;
const MASK = /^not_/;
const MACRO = /\{(_[a-z0-9_]+)\}/g;
const MAX_MACRO_DEPTH = 5;
// Replaces a masked span; it is not a letter, digit, Chinese character or punctuation any
// pattern looks for, so nothing matches across or inside it.
const BLANK = '\u2205';

interface Kind {
  name: string;
  matchers: RegExp[];
}

export class EscalationRiskDetector {
  private readonly masks: RegExp[];
  private readonly kinds: Kind[];

  constructor(data: EscalationRiskData) {
    const expand = macroExpander(data);
    const compile = (list: string[] | undefined, where: string, flags: string): RegExp[] =>
      (list ?? []).map((source) => {
        try {
          return new RegExp(expand(source), flags);
        } catch (error) {
          throw new Error(`escalation-risk data ${where}: ${(error as Error).message}`);
        }
      });
    const literalMatcher = (list: string[] | undefined, flags: string): RegExp[] =>
      list && list.length > 0 ? [new RegExp(literals(list), flags)] : [];

    const names = (record: Record<string, string[]>): string[] => Object.keys(record);
    const allKinds = [...new Set([...names(data.phrases), ...names(data.patterns)])];

    this.masks = allKinds
      .filter((k) => MASK.test(k))
      .flatMap((k) => [
        ...literalMatcher(data.phrases[k], 'g'),
        ...compile(data.patterns[k], `patterns.${k}`, 'g'),
      ]);
    this.kinds = allKinds
      .filter((k) => !MASK.test(k) && !VOCABULARY.test(k))
      .map((k) => ({
        name: k,
        matchers: [...literalMatcher(data.phrases[k], ''), ...compile(data.patterns[k], `patterns.${k}`, '')],
      }));
  }

  detect(text: string): boolean {
    const prepared = this.prepare(text);
    return this.kinds.some((kind) => kind.matchers.some((re) => re.test(prepared)));
  }

  /** The kinds that matched (e.g. ["regulator", "repeat"]), in the data file's order. */
  reasons(text: string): string[] {
    const prepared = this.prepare(text);
    return this.kinds.filter((kind) => kind.matchers.some((re) => re.test(prepared))).map((k) => k.name);
  }

  private prepare(text: string): string {
    let out = normalize(text);
    for (const mask of this.masks) out = out.replace(mask, (m) => BLANK.repeat(m.length));
    return out;
  }
}

/**
 * Full-width to half-width and lower case (NFKC), and white space dropped except between two
 * Latin letters or digits: "投诉 了 三次" must read like "投诉了三次", "call 12300" stays two words.
 */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, (gap, offset: number, whole: string) => {
      const before = whole[offset - 1] ?? '';
      const after = whole[offset + gap.length] ?? '';
      return /[a-z0-9]/.test(before) && /[a-z0-9]/.test(after) ? ' ' : '';
    });
}

function literals(list: string[]): string {
  return [...new Set(list.map((p) => normalize(p)))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
}

function macroExpander(data: EscalationRiskData): (source: string) => string {
  const expand = (source: string, depth: number): string =>
    source.replace(MACRO, (whole, name: string) => {
      const words = data.phrases[name];
      const fragments = data.patterns[name];
      if (!words && !fragments) throw new Error(`unknown vocabulary ${whole}`);
      if (depth >= MAX_MACRO_DEPTH) throw new Error(`vocabulary ${whole} nested too deeply`);
      const parts = [
        ...(words && words.length > 0 ? [literals(words)] : []),
        ...(fragments ?? []).map((f) => expand(f, depth + 1)),
      ];
      return `(?:${parts.join('|')})`;
    });
  // Regex sources get NFKC only: lower-casing would turn "\S" into "\s". Data patterns are
  // written in lower case, as the text they run on is.
  return (source) => expand(source, 0).normalize('NFKC');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
