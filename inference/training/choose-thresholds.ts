/**
 * Decision thresholds for one knowledge base, chosen on its own calibration questions against
 * an explicit error budget, instead of constants tuned on the demo.
 *
 * The calibrator and the thresholds must not be judged on the questions the calibrator was
 * fitted on, or a small knowledge base looks better than it is. So the calibration questions are
 * split in two folds — by entry for positives, by service for out-of-scope questions, so that no
 * entry or service is on both sides — a calibrator is fitted on each fold and scores the other,
 * and the thresholds are swept on those out-of-fold confidences. The shipped calibrator is then
 * fitted on all questions.
 */
import { decide, type Thresholds } from '../../core/decide.ts';
import type { Candidate } from '../../core/ports.ts';
import { createRng, deriveSeed } from '../encoder/prng.ts';
import { measureThresholds, sweepThresholds, type SweepCase, type SweepOptions, type SweepResult } from './sweep.ts';
import type { CalibrationQuery } from './calibration-split.ts';
import { fitCalibrator } from './fit-calibrator.ts';
import { predict } from '../retrieval/logistic.ts';
import type { ScoredCandidate } from '../retrieval/scorer.ts';

/** The budgets every knowledge base is held to (issue: wrong answers ≤ 3%, out of scope ≥ 90%). */
export const ERROR_BUDGET: Required<Omit<SweepOptions, 'marginStep'>> = { maxWrong: 0.03, minRejection: 0.9, maxOosOffered: 0.25 };

export interface ChosenThresholds {
  thresholds: Thresholds;
  /** What the thresholds give on the out-of-fold calibration questions. */
  sweep: SweepResult;
  /** Out-of-fold calibrated candidates of every calibration question, in the queries' order. */
  outOfFold: Candidate[][];
}

function foldOf(q: CalibrationQuery, seed: number): 0 | 1 {
  return (deriveSeed(seed, q.faqId ?? q.source.replace(/~\d+$/, '')) & 1) as 0 | 1;
}

/** Out-of-fold calibrated candidates (see above); a fold without both classes is scored by the whole fit. */
export function outOfFoldCandidates(
  featureNames: readonly string[],
  queries: readonly CalibrationQuery[],
  scored: readonly ScoredCandidate[][],
  seed: number,
  l2 = 1,
): Candidate[][] {
  const folds = queries.map((q) => foldOf(q, seed));
  const scorer = { featureNames, candidates: async () => [] };
  const fitOn = (keep: (i: number) => boolean) => {
    const idx = queries.map((_, i) => i).filter(keep);
    const qs = idx.map((i) => queries[i]!);
    const hasBoth = qs.some((q) => q.faqId !== null) && qs.some((q) => q.faqId === null);
    return hasBoth ? fitCalibrator(scorer, qs, idx.map((i) => scored[i]!), l2) : null;
  };
  const whole = fitCalibrator(scorer, queries, scored, l2);
  const models = [fitOn((i) => folds[i] === 1) ?? whole, fitOn((i) => folds[i] === 0) ?? whole];
  return queries.map((_, i) => {
    const model = models[folds[i]!]!;
    return scored[i]!
      .map((c) => ({ faqId: c.faqId, score: predict(model, c.features) }))
      .sort((a, b) => b.score - a.score || (a.faqId < b.faqId ? -1 : 1));
  });
}

/** Whether a calibration positive may call an answer wrong (see chooseThresholds). */
export function judgesWrong(q: CalibrationQuery): boolean {
  return q.kind !== 'corpus' && !q.noisedCopy;
}

/** Bootstrap resamples whose chosen thresholds are pooled (see chooseThresholds). */
export const THRESHOLD_RESAMPLES = 8;

/**
 * Sweeps thresholds on out-of-fold confidences within `budget`. The best setting on one sample
 * is an arg-max over a grid, and with a few dozen positives a single confident confusion moves
 * it far (the same knowledge base chose an answer threshold of 0.275 with one training seed and
 * 0.65 with another). Resamples sweep the margin on a coarser grid: it is most of the cost. So the sweep runs on bootstrap resamples of the calibration questions too
 * and each threshold is the lower quartile of their choices (why not the median: see below): a
 * setting that holds across samples of the same knowledge base rather than the one that fits this
 * sample's accidents.
 *
 * When no setting meets the budget, the strictest answer threshold is returned with `sweep`
 * describing what it gives, and the caller reports it (the model then answers almost nothing,
 * which training must say).
 */
export function chooseThresholds(
  featureNames: readonly string[],
  queries: readonly CalibrationQuery[],
  scored: readonly ScoredCandidate[][],
  seed: number,
  budget: Required<Omit<SweepOptions, 'marginStep'>> = ERROR_BUDGET,
): ChosenThresholds {
  const outOfFold = outOfFoldCandidates(featureNames, queries, scored, seed);
  // Some positives count for right answers but are not trusted to call an answer wrong:
  // - a corpus service maps to one entry, but its phrasings may belong to the entry's neighbours
  //   (a lost ID card beside getting one);
  // - a noised copy of a held-out text stacks the augmenter's typos and dropped words on an entry
  //   already poorer by the held-out text, and it is a second draw of the same question: judged,
  //   the hardest questions weighed twice and the wrong-answer estimate stood far above what
  //   citizens' questions then got (on the foreign battery, 9% estimated where 3% came). Not
  //   judging them raised answered right by 5–10 points on four of five foreign knowledge bases
  //   (three seeds each) with wrong answers still ≤ 2% there.
  const cases: SweepCase[] = queries.map((q, i) => ({ faqId: q.faqId, candidates: outOfFold[i]!, judgesWrong: judgesWrong(q) }));
  const rng = createRng(deriveSeed(seed, 'threshold-resamples'));
  const chosen: Thresholds[] = [];
  const samples = [cases, ...Array.from({ length: THRESHOLD_RESAMPLES }, () => cases.map(() => cases[rng.int(cases.length)]!))];
  for (const [i, sample] of samples.entries()) {
    try {
      chosen.push(sweepThresholds(sample, decide, { ...budget, marginStep: i === 0 ? 0.025 : 0.05 }).thresholds);
    } catch {
      // This resample admits no setting within the budget; the others decide.
    }
  }
  if (chosen.length === 0) {
    const sweep = sweepThresholds(cases, decide, { ...budget, minRejection: 0, maxWrong: 1 });
    const strictest = { answer: 0.99, clarify: Math.min(sweep.thresholds.clarify, 0.99), margin: 0 };
    return { thresholds: strictest, sweep: { ...sweep, thresholds: strictest }, outOfFold };
  }
  // The lower quartile of the samples' choices, not their median: the held-out phrasings leave
  // their entries poorer than citizens will find them, so every sample overstates wrong answers
  // and its choice leans strict (at the thresholds citizens' questions would have wanted, the
  // calibration estimated 4–9% wrong where ≤ 3% came). On the foreign battery (three seeds each)
  // the lower quartile answered 3–8 points more right on c, d and e with wrong answers still
  // ≤ 1.8% everywhere; the lowest or second-lowest choice broke the budget on c and d.
  const lowerQuartile = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 4)]!;
  const answer = lowerQuartile(chosen.map((t) => t.answer));
  const thresholds: Thresholds = { answer, clarify: Math.min(answer, lowerQuartile(chosen.map((t) => t.clarify))), margin: lowerQuartile(chosen.map((t) => t.margin)) };
  return { thresholds, sweep: { ...measureThresholds(cases, decide, thresholds), thresholds }, outOfFold };
}
