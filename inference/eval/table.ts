/** The aligned text table `komek eval` prints: one row per system and language. */
import type { SystemResult } from './run-eval.ts';

const COLUMNS: Array<[string, (m: import('./metrics.ts').Metrics) => number, 'pct' | 'num']> = [
  ['n', (m) => m.answerable, 'num'],
  ['top1', (m) => m.top1, 'pct'],
  ['rec@3', (m) => m.recall3, 'pct'],
  ['MRR', (m) => m.mrr, 'pct'],
  ['ans-ok', (m) => m.answeredCorrectly, 'pct'],
  ['ans-bad', (m) => m.answeredWrongly, 'pct'],
  ['ok+clar', (m) => m.answeredOrOffered, 'pct'],
  ['oos', (m) => m.outOfScope, 'num'],
  ['oos-rej', (m) => m.oosRejected, 'pct'],
  ['esc', (m) => m.escalations, 'num'],
  ['esc-ok', (m) => m.escalationAccuracy, 'pct'],
  ['esc-false', (m) => m.falseEscalations, 'pct'],
];

function cell(v: number, kind: 'pct' | 'num'): string {
  if (Number.isNaN(v)) return '-';
  return kind === 'pct' ? (v * 100).toFixed(1) : String(v);
}

/** Renders results as fixed-width columns (percentages for rates). */
export function formatTable(results: readonly SystemResult[]): string {
  const header = ['system', 'lang', ...COLUMNS.map((c) => c[0])];
  const rows: string[][] = [header];
  for (const r of results) {
    for (const [lang, m] of Object.entries(r.metrics)) {
      rows.push([r.name, lang, ...COLUMNS.map(([, get, kind]) => cell(get(m), kind))]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}
