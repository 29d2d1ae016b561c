/**
 * Chooses decision thresholds from calibration data (never from a development set).
 *
 * 1. answer and margin: the most answerable questions answered with the right entry (ties: the
 *    better accuracy over all questions) among settings that leave at least `minRejection` of
 *    out-of-scope questions unanswered and answer at most `maxWrong` of answerable questions
 *    with a wrong entry — the error budget;
 * 2. clarify (≤ answer): the most answerable questions whose entry is answered or offered, among
 *    settings where at most `maxOosOffered` of out-of-scope questions are offered choices instead
 *    of the fallback. A choice is never an answer — the citizen taps one or asks for a person —
 *    and a fallback when the right entry was second or third is the worse failure, so choices
 *    are allowed for a bounded share of out-of-scope questions (these calibration negatives are
 *    the hard kind: other government services, not small talk).
 *
 * Training runs it on every knowledge base's own calibration data (training/choose-thresholds.ts);
 * sweep-demo.ts runs it on the demo knowledge base's.
 */
import type { Decision, Thresholds } from '../../core/decide.ts';
import type { Candidate } from '../../core/ports.ts';

export interface SweepCase {
  /** Right entry, or null when out of scope. */
  faqId: string | null;
  /** Calibrated candidates, best first. */
  candidates: Candidate[];
  /**
   * False when the label is not trusted enough to call an answer wrong (a corpus phrasing
   * labelled with the entry its service maps to): the case still counts for right answers.
   */
  judgesWrong?: boolean;
}

export interface SweepResult {
  thresholds: Thresholds;
  accuracy: number;
  rejection: number;
  fallbackRejection: number;
  offered: number;
  /** Answerable questions answered with the right entry. */
  right: number;
  /** Answerable questions answered with a wrong entry. */
  wrong: number;
}

export interface SweepOptions {
  /** Least share of out-of-scope questions left unanswered (default 0.9). */
  minRejection?: number;
  /** Most out-of-scope questions offered choices rather than the fallback (default 0.25). */
  maxOosOffered?: number;
  /** Most answerable questions answered with a wrong entry (default: no bound). */
  maxWrong?: number;
  /** Step of the margin grid (default 0.025; resamples use a coarser one, it costs the most). */
  marginStep?: number;
}

type DecideFn = (candidates: Candidate[], thresholds: Thresholds) => Decision;

function grid(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Math.round(v * 1000) / 1000);
  return out;
}

/** What thresholds give on sweep cases. */
export function measureThresholds(cases: readonly SweepCase[], decide: DecideFn, t: Thresholds): Omit<SweepResult, 'thresholds'> {
  const answerable = cases.filter((c) => c.faqId !== null);
  const oos = cases.filter((c) => c.faqId === null);
  const rate = (n: number, d: number) => (d === 0 ? 1 : n / d);
  let right = 0;
  let wrong = 0;
  let judged = 0;
  let offered = 0;
  for (const c of answerable) {
    const d = decide(c.candidates, t);
    if (d.action === 'answer' && d.faqId === c.faqId) right++;
    if (c.judgesWrong !== false) {
      judged++;
      if (d.action === 'answer' && d.faqId !== c.faqId) wrong++;
    }
    if ((d.action === 'answer' && d.faqId === c.faqId) || (d.action === 'clarify' && d.choices.includes(c.faqId!))) offered++;
  }
  let rejected = 0;
  let fallback = 0;
  for (const c of oos) {
    const d = decide(c.candidates, t);
    if (d.action !== 'answer') rejected++;
    if (d.action === 'fallback') fallback++;
  }
  return {
    accuracy: (right + rejected) / Math.max(1, cases.length),
    rejection: rate(rejected, oos.length),
    fallbackRejection: rate(fallback, oos.length),
    offered: rate(offered, answerable.length),
    right: rate(right, answerable.length),
    wrong: judged === 0 ? 0 : wrong / judged,
  };
}

export function sweepThresholds(cases: readonly SweepCase[], decide: DecideFn, opts: SweepOptions = {}): SweepResult {
  const minRejection = opts.minRejection ?? 0.9;
  const maxOosOffered = opts.maxOosOffered ?? 0.25;
  const maxWrong = opts.maxWrong ?? 1;
  const measure = (t: Thresholds) => measureThresholds(cases, decide, t);
  let best: SweepResult | null = null;
  for (const answer of grid(0.05, 0.95, 0.025)) {
    for (const margin of grid(0, 0.4, opts.marginStep ?? 0.025)) {
      // clarify = answer here: step 1 judges answering only.
      const t = { answer, clarify: answer, margin };
      const m = measure(t);
      if (m.rejection < minRejection || m.wrong > maxWrong) continue;
      // The most right answers within the budgets; among equals the better overall accuracy.
      if (!best || m.right > best.right + 1e-12 || (Math.abs(m.right - best.right) <= 1e-12 && m.accuracy > best.accuracy + 1e-12)) best = { thresholds: t, ...m };
    }
  }
  if (!best) throw new Error(`no thresholds reach ${minRejection * 100}% out-of-scope rejection with at most ${maxWrong * 100}% wrong answers on this data`);
  let chosen: SweepResult = best;
  // From high to low, so among equals the highest clarify (fewest needless choices) wins.
  for (const clarify of grid(0.025, best.thresholds.answer, 0.025).reverse()) {
    const t = { ...best.thresholds, clarify };
    const m = measure(t);
    if (1 - m.fallbackRejection > maxOosOffered || m.rejection < minRejection || m.wrong > maxWrong) continue;
    if (m.offered > chosen.offered + 1e-12) chosen = { thresholds: t, ...m };
  }
  return chosen;
}
