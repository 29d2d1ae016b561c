/**
 * Decision thresholds on the calibrated confidence (see core/decide.ts).
 *
 * How they were chosen: `komek eval --sweep` (inference/eval/sweep.ts) fits the retrieval stack on
 * each demo knowledge-base part, takes the calibration split generated from it (held-out
 * alternative phrasings, clean and noised, as answerable questions; phrasings of corpus services
 * the knowledge base does not cover as out-of-scope ones — never the development sets), and
 * sweeps answer × clarify × margin for the highest share of correct outcomes (right answer for an
 * answerable question, no answer for an out-of-scope one) among settings that leave at least 90%
 * of out-of-scope questions unanswered. Reproduce with:
 *
 *   node --import tsx inference/eval/sweep.ts
 */
import type { Thresholds } from '../../core/decide.ts';

export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.5, clarify: 0.3, margin: 0.1 };
