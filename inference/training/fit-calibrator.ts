/**
 * Fits a scorer's calibrator on calibration queries: every candidate of every query is one row,
 * labelled 1 when it is the entry that answers the query. Out-of-scope queries contribute only
 * negatives, which is what teaches the confidence to stay low when nothing fits.
 */
import { fitLogistic, type LogisticModel } from '../retrieval/logistic.ts';
import type { CalibrationQuery } from './calibration-split.ts';
import type { CandidateScorer, ScoredCandidate } from '../retrieval/scorer.ts';

/** Scores every query once (the scored lists also serve the threshold sweep). */
export async function scoreQueries(scorer: CandidateScorer, queries: readonly CalibrationQuery[]): Promise<ScoredCandidate[][]> {
  return Promise.all(queries.map((q) => scorer.candidates(q.text, q.lang)));
}

export function fitCalibrator(scorer: CandidateScorer, queries: readonly CalibrationQuery[], scored: readonly ScoredCandidate[][], l2 = 1): LogisticModel {
  const xs: number[][] = [];
  const ys: number[] = [];
  queries.forEach((q, i) => {
    for (const c of scored[i]!) {
      xs.push(c.features);
      ys.push(c.faqId === q.faqId ? 1 : 0);
    }
  });
  return fitLogistic([...scorer.featureNames], xs, ys, { l2 });
}
