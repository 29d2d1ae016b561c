/**
 * A candidate scorer proposes knowledge-base entries for a question, each with raw features;
 * a calibrator turns the features into one confidence. Splitting the two lets the same
 * calibration procedure serve the hybrid retriever and the lexical baselines alike.
 */
import type { Lang } from '../../core/lang.ts';
import type { Candidate, Retriever } from '../../core/ports.ts';
import { predict, type LogisticModel } from './logistic.ts';

export interface ScoredCandidate {
  faqId: string;
  /** Values in the order of the scorer's `featureNames`. */
  features: number[];
}

export interface CandidateScorer {
  readonly featureNames: readonly string[];
  candidates(text: string, lang: Lang | undefined): Promise<ScoredCandidate[]>;
}

/** Calibrated candidates, best first. */
export function calibrate(scored: readonly ScoredCandidate[], model: LogisticModel): Candidate[] {
  return scored
    .map((c) => ({ faqId: c.faqId, score: predict(model, c.features) }))
    .sort((a, b) => b.score - a.score || (a.faqId < b.faqId ? -1 : 1));
}

/** A core `Retriever` from a scorer and its fitted calibrator. */
export function calibratedRetriever(scorer: CandidateScorer, model: LogisticModel): Retriever {
  return {
    async retrieve(text, opts) {
      const scored = await scorer.candidates(text, opts.lang);
      return calibrate(scored, model).slice(0, opts.limit ?? 5);
    },
  };
}
