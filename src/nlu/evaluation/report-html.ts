import type { FlagScores, Metrics } from './metrics.js';
import type { SummaryRow } from './report-text.js';
import type { Scored } from './run.js';

export interface HtmlReport {
  title: string;
  generatedAt: string;
  summary: SummaryRow[];
  /** Confusion matrices worth a closer look, each with its misclassified examples. */
  details: { heading: string; metrics: Metrics; errors: Scored[] }[];
  flags: { name: string; scores: FlagScores }[];
  notes: string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}`;

/** A self-contained page (no scripts, no external files) a person can read in any browser. */
export function renderHtml(report: HtmlReport): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(report.title)}</title>
<style>
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}.diag{font-weight:bold}
.conf td{min-width:2.2rem}caption{text-align:left;font-weight:bold;margin-bottom:.3rem}
details{margin:.5rem 0 1.5rem}small{color:#666}
</style></head><body>
<h1>${esc(report.title)}</h1><p><small>generated ${esc(report.generatedAt)}</small></p>
${report.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
<h2>Summary</h2>${summary(report.summary)}
<h2>Escalation risk</h2><ul>${report.flags
    .map((f) => `<li>${esc(f.name)}: precision ${pct(f.scores.precision)} % (${f.scores.truePositives}/${f.scores.predictedPositives}), recall ${pct(f.scores.recall)} % (${f.scores.truePositives}/${f.scores.actualPositives})</li>`)
    .join('')}</ul>
${report.details.map((d) => `<h2>${esc(d.heading)}</h2>${confusion(d.metrics)}${perIntent(d.metrics)}${errors(d.errors)}`).join('\n')}
</body></html>
`;
}

function summary(rows: readonly SummaryRow[]): string {
  const head = ['system', 'data', 'n', 'accuracy %', 'macro-F1 %', 'category %', 'none recall %', 'in-scope → none %'];
  return `<table><tr>${head.map((h, i) => `<th${i < 2 ? ' class="l"' : ''}>${esc(h)}</th>`).join('')}</tr>${rows
    .map(
      (r) =>
        `<tr><td class="l">${esc(r.system)}</td><td class="l">${esc(r.data)}</td><td>${r.metrics.count}</td><td>${pct(r.metrics.accuracy)}</td><td>${pct(r.metrics.macroF1)}</td><td>${pct(r.metrics.categoryAccuracy)}</td><td>${pct(r.metrics.noneRecall)}</td><td>${pct(r.metrics.inScopeRejected)}</td></tr>`,
    )
    .join('')}</table>`;
}

// Cell shade grows with the share of the gold row, so the eye finds the big confusions first.
function confusion(m: Metrics): string {
  const header = m.labels.map((l, i) => `<th title="${esc(l)}">${i + 1}</th>`).join('');
  const rows = m.labels
    .map((label, i) => {
      const row = m.confusion[i]!;
      const total = row.reduce((a, b) => a + b, 0);
      if (total === 0) return '';
      const cells = row
        .map((n, j) => {
          const share = n / total;
          const colour = i === j ? `rgba(40,140,60,${0.15 + 0.6 * share})` : `rgba(200,40,40,${Math.min(0.85, share * 3)})`;
          return `<td class="${i === j ? 'diag' : ''}" style="background:${n ? colour : 'transparent'}" title="${esc(label)} → ${esc(m.labels[j]!)}: ${n}">${n || ''}</td>`;
        })
        .join('');
      return `<tr><th class="l">${i + 1}. ${esc(label)}</th>${cells}<td>${total}</td></tr>`;
    })
    .join('');
  return `<table class="conf"><caption>Confusion matrix: rows are the true intents, columns the answers (hover a cell for names)</caption><tr><th class="l">true \\ answer</th>${header}<th>total</th></tr>${rows}</table>`;
}

function perIntent(m: Metrics): string {
  return `<table><caption>Per intent</caption><tr><th class="l">intent</th><th>precision %</th><th>recall %</th><th>F1 %</th><th>support</th></tr>${m.perIntent
    .map((s) => `<tr><td class="l">${esc(s.intent)}</td><td>${pct(s.precision)}</td><td>${pct(s.recall)}</td><td>${pct(s.f1)}</td><td>${s.support}</td></tr>`)
    .join('')}</table>`;
}

function errors(list: readonly Scored[]): string {
  if (list.length === 0) return '';
  return `<details><summary>${list.length} misclassified messages</summary><table><tr><th class="l">true</th><th class="l">answer</th><th class="l">message</th></tr>${list
    .map((s) => `<tr><td class="l">${esc(s.gold)}</td><td class="l">${esc(s.answer.intent)}</td><td class="l">${esc(s.text)}</td></tr>`)
    .join('')}</table></details>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
