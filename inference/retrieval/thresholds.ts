/**
 * Decision thresholds on the calibrated confidence (see core/decide.ts).
 *
 * How they were chosen: inference/eval/sweep-demo.ts fits the retrieval stack on the demo
 * knowledge base (seed 42), takes the calibration split generated from it — held-out alternative
 * phrasings, clean and noised, as answerable questions; phrasings of corpus services the
 * knowledge base does not cover as out-of-scope ones; never the development sets — and sweeps
 * (inference/eval/sweep.ts): answer and margin for the highest share of correct outcomes (right
 * answer for an answerable question, no answer for an out-of-scope one) among settings that leave
 * at least 90% of out-of-scope questions unanswered; then clarify for the most answerable
 * questions answered or offered while at least 90% of out-of-scope ones still fall back.
 * On 1,289 calibration questions: accuracy 85.1%, out-of-scope not answered 92.8%, answerable
 * questions answered or offered 71.5%.
 * Reproduce with:
 *
 *   node --import tsx inference/eval/sweep-demo.ts
 */
import type { Thresholds } from '../../core/decide.ts';

export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.45, clarify: 0.375, margin: 0 };
