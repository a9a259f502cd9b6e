import type { FlagScores, Metrics } from './metrics.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}`;

/** A plain fixed-width table; the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? padEnd(cell, widths[c]!) : padStart(cell, widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export interface SummaryRow {
  system: string;
  data: string;
  metrics: Metrics;
}

/** One line per system and data set: the headline figures. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  return table(
    ['system', 'data', 'n', 'acc %', 'macro-F1 %', 'category %', 'none recall %', 'in-scope → none %'],
    rows.map(({ system, data, metrics: m }) => [
      system,
      data,
      String(m.count),
      pct(m.accuracy),
      pct(m.macroF1),
      pct(m.categoryAccuracy),
      pct(m.noneRecall),
      pct(m.inScopeRejected),
    ]),
  );
}

export function perIntentTable(metrics: Metrics): string {
  return table(
    ['intent', 'precision %', 'recall %', 'F1 %', 'support'],
    metrics.perIntent.map((s) => [s.intent, pct(s.precision), pct(s.recall), pct(s.f1), String(s.support)]),
  );
}

/** Rows are the gold intents, columns the answers, numbered to keep the table narrow. */
export function confusionTable(metrics: Metrics): string {
  const { labels, confusion } = metrics;
  const header = ['gold \\ answer', ...labels.map((_, i) => String(i + 1))];
  const rows = labels.map((label, i) => [`${i + 1} ${label}`, ...confusion[i]!.map((n) => (n === 0 ? '.' : String(n)))]);
  return table(header, rows);
}

export function flagLine(name: string, scores: FlagScores): string {
  return `${name}: precision ${pct(scores.precision)} % (${scores.truePositives}/${scores.predictedPositives}), recall ${pct(scores.recall)} % (${scores.truePositives}/${scores.actualPositives})`;
}

// Chinese characters take two columns in a terminal.
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}
