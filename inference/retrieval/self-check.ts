/**
 * How well a freshly trained model knows *this* knowledge base, measured on its own held-out
 * calibration questions (never seen in training, scored by a calibrator that never saw them
 * either): top-1 and the share answered right, beside lexical BM25 on the same questions, and
 * advice an administrator can act on — which entries have too few phrasings, which pairs of
 * entries the model confuses. Training refuses to ship a model whose calibration cannot work,
 * and flags one that would answer too little.
 */
import type { Thresholds } from '../../core/decide.ts';
import { decide } from '../../core/decide.ts';
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import type { Candidate } from '../../core/ports.ts';
import type { CalibrationQuery } from '../training/calibration-split.ts';

/** Fewer positives than this cannot calibrate a confidence: training fails instead. */
export const MIN_POSITIVES = 8;
/** A model answering fewer of its own held-out questions right than this is flagged weak. */
export const WEAK_ANSWERED_RIGHT = 0.5;

export interface SystemCheck {
  top1: number;
  answeredRight: number;
  answeredWrong: number;
  oosRejected: number;
  thresholds: Thresholds;
}

export interface SelfCheck {
  status: 'ok' | 'weak';
  /** One line for logs, `/ready` and the console. */
  message: string;
  positives: number;
  outOfScope: number;
  hybrid: SystemCheck;
  lexical?: SystemCheck;
  /** Entry rows with fewer than two phrasings (question included). */
  fewPhrasings: { id: string; lang: Lang; phrasings: number }[];
  /** Held-out questions of `expected` whose best candidate was `got`, most frequent first. */
  confusions: { expected: string; got: string; count: number }[];
}

/** Raised when a knowledge base cannot give a working calibration; nothing is stored then. */
export class CalibrationError extends Error {
  override name = 'CalibrationError';
}

/** Throws a {@link CalibrationError} naming what is missing when calibration would be degenerate. */
export function assertCalibratable(queries: readonly CalibrationQuery[], entries: readonly KbEntry[], opts: { negatives?: boolean } = {}): void {
  // The knowledge base's own held-out texts: corpus phrasings of services it seems to cover
  // help calibrate but cannot stand in for them (with one entry, every service "agrees").
  const positives = queries.filter((q) => q.faqId !== null && q.kind !== 'corpus').length;
  const negatives = queries.filter((q) => q.faqId === null).length;
  const enabled = new Set(entries.filter((e) => e.enabled).map((e) => e.id)).size;
  if (positives < MIN_POSITIVES) {
    throw new CalibrationError(
      `the knowledge base gives only ${positives} held-out calibration question(s) (at least ${MIN_POSITIVES} are needed; ${enabled} enabled entries): ` +
        'add entries, or alternative phrasings (alt_questions) to the ones there are, and train again',
    );
  }
  if ((opts.negatives ?? true) && negatives === 0) throw new CalibrationError('no out-of-scope calibration questions: the corpus of citizen phrasings is missing or covered entirely');
}

export function measureSystem(queries: readonly CalibrationQuery[], ranked: readonly Candidate[][], thresholds: Thresholds): SystemCheck {
  let answerable = 0;
  let top1 = 0;
  let right = 0;
  let wrong = 0;
  let oos = 0;
  let rejected = 0;
  queries.forEach((q, i) => {
    const d = decide(ranked[i]!, thresholds);
    if (q.faqId === null) {
      oos++;
      if (d.action !== 'answer') rejected++;
      return;
    }
    answerable++;
    if (ranked[i]![0]?.faqId === q.faqId) top1++;
    if (d.action === 'answer') d.faqId === q.faqId ? right++ : wrong++;
  });
  const r = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return { top1: r(top1, answerable), answeredRight: r(right, answerable), answeredWrong: r(wrong, answerable), oosRejected: r(rejected, oos), thresholds };
}

export function selfCheck(input: {
  queries: readonly CalibrationQuery[];
  hybrid: { ranked: readonly Candidate[][]; thresholds: Thresholds };
  lexical?: { ranked: readonly Candidate[][]; thresholds: Thresholds };
  entries: readonly KbEntry[];
}): SelfCheck {
  const { queries } = input;
  const hybrid = measureSystem(queries, input.hybrid.ranked, input.hybrid.thresholds);
  const lexical = input.lexical ? measureSystem(queries, input.lexical.ranked, input.lexical.thresholds) : undefined;
  const pairs = new Map<string, number>();
  queries.forEach((q, i) => {
    const got = input.hybrid.ranked[i]![0]?.faqId;
    if (q.faqId === null || !got || got === q.faqId) return;
    const key = `${q.faqId}\u0000${got}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  });
  const confusions = [...pairs]
    .map(([key, count]) => {
      const [expected, got] = key.split('\u0000') as [string, string];
      return { expected, got, count };
    })
    .sort((a, b) => b.count - a.count || (a.expected < b.expected ? -1 : 1))
    .slice(0, 10);
  const positives = queries.filter((q) => q.faqId !== null).length;
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const figures = `held-out top-1 ${pct(hybrid.top1)}, answered right ${pct(hybrid.answeredRight)}, wrong ${pct(hybrid.answeredWrong)}, out of scope not answered ${pct(hybrid.oosRejected)}`;
  const weak = hybrid.answeredRight < WEAK_ANSWERED_RIGHT;
  const message = weak
    ? `the model answers only ${pct(hybrid.answeredRight)} of its own held-out questions right (${figures}): most questions will get choices or an operator; ` +
      'add alternative phrasings to the entries listed under "few phrasings" and train again'
    : figures;
  return { status: weak ? 'weak' : 'ok', message, positives, outOfScope: queries.length - positives, hybrid, lexical, fewPhrasings: fewPhrasings(input.entries), confusions };
}

/** Entry rows written with fewer than two phrasings (the question and one alternative). */
export function fewPhrasings(entries: readonly KbEntry[]): SelfCheck['fewPhrasings'] {
  return entries
    .filter((e) => e.enabled && 1 + e.altQuestions.length < 2)
    .map((e) => ({ id: e.id, lang: e.lang, phrasings: 1 + e.altQuestions.length }));
}

/** The self-check as lines an administrator reads after training (`komek train`, import). */
export function describeSelfCheck(check: SelfCheck): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (name: string, s: SystemCheck) =>
    `  ${name.padEnd(8)} top-1 ${pct(s.top1).padStart(6)}  answered right ${pct(s.answeredRight).padStart(6)}  wrong ${pct(s.answeredWrong).padStart(5)}  out of scope not answered ${pct(s.oosRejected).padStart(6)}`;
  const lines = [
    `Self-check on ${check.positives} held-out questions and ${check.outOfScope} out-of-scope ones (${check.status === 'ok' ? 'ok' : 'WEAK'}):`,
    row('model', check.hybrid),
    ...(check.lexical ? [row('lexical', check.lexical)] : []),
    `  thresholds chosen for this knowledge base: answer ≥ ${check.hybrid.thresholds.answer}, choices ≥ ${check.hybrid.thresholds.clarify}, lead ≥ ${check.hybrid.thresholds.margin}`,
  ];
  if (check.status === 'weak') lines.push(`  ${check.message}`);
  if (check.fewPhrasings.length > 0) {
    const shown = check.fewPhrasings.slice(0, 12).map((f) => `${f.id}/${f.lang}`).join(', ');
    lines.push(`  few phrasings (${check.fewPhrasings.length} rows have only their question; alternative phrasings help the most): ${shown}${check.fewPhrasings.length > 12 ? ', …' : ''}`);
  }
  if (check.confusions.length > 0) {
    lines.push(`  entries the model confuses (held-out questions of the first answered as the second): ${check.confusions.slice(0, 5).map((c) => `${c.expected} → ${c.got} (${c.count})`).join(', ')}`);
  }
  return lines.join('\n');
}
