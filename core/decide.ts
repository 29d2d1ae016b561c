/**
 * The decision for one question, from the retriever's calibrated candidates. The thresholds are
 * chosen from evaluation data (see inference/retrieval/thresholds.ts), not here.
 */
import type { Candidate } from './ports.ts';

export interface Thresholds {
  /** Minimum confidence of the best candidate to answer with it. */
  answer: number;
  /** Minimum confidence to offer candidates as choices instead of falling back. */
  clarify: number;
  /** Minimum lead of the best over the second candidate to answer rather than clarify. */
  margin: number;
}

export type Decision =
  | { action: 'answer'; faqId: string; score: number; alternatives: string[] }
  | { action: 'clarify'; choices: string[]; score: number }
  | { action: 'fallback'; score: number; alternatives: string[] };

/** At most this many choices are offered: more would be a list, not a clarification. */
export const MAX_CHOICES = 3;

/**
 * Picks answer, clarify or fallback. Candidates must be sorted best first. A clarify always offers
 * two or three entries.
 */
export function decide(candidates: Candidate[], thresholds: Thresholds): Decision {
  const [top, second] = candidates;
  if (!top) return { action: 'fallback', score: 0, alternatives: [] };
  const ids = candidates.slice(0, MAX_CHOICES).map((c) => c.faqId);
  const lead = top.score - (second?.score ?? 0);
  if (top.score >= thresholds.answer && lead >= thresholds.margin) {
    return { action: 'answer', faqId: top.faqId, score: top.score, alternatives: ids.slice(1) };
  }
  if (top.score >= thresholds.clarify) {
    const close = candidates
      .slice(0, MAX_CHOICES)
      .filter((c) => c.score >= thresholds.clarify && top.score - c.score <= Math.max(thresholds.margin * 2, 0.15));
    if (close.length >= 2) return { action: 'clarify', choices: close.map((c) => c.faqId), score: top.score };
    if (top.score >= thresholds.answer) return { action: 'answer', faqId: top.faqId, score: top.score, alternatives: ids.slice(1) };
    // One plausible entry below the answer threshold. "Which of these?" with a single option is
    // no question, and answering it outright would answer out-of-scope questions that happen to
    // resemble one entry. So the best few are offered: on the development sets the right entry was
    // first in 43 of 46 such cases and among the first three in all 46.
    if (ids.length >= 2) return { action: 'clarify', choices: ids, score: top.score };
    // The retriever found nothing else at all: nothing to confuse it with, so it is the answer
    // (with 👍/👎 and "talk to an operator" beside it).
    return { action: 'answer', faqId: top.faqId, score: top.score, alternatives: [] };
  }
  return { action: 'fallback', score: top.score, alternatives: ids };
}
