/**
 * The in-memory lexical baselines `komek eval` prints beside the hybrid retriever: BM25 over
 * words and over character trigrams. Each gets its confidence calibrated, and its thresholds
 * chosen, on the same split the hybrid model was calibrated on and by the same procedure, so
 * "out of scope not answered" and "answered right" compare like with like.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import type { CorpusLike } from '../training/training-data.ts';
import { DEFAULT_SPLIT, makeCalibrationSplit, outOfScopeQueries, type SplitOptions } from '../training/calibration-split.ts';
import { chooseThresholds } from '../training/choose-thresholds.ts';
import { fitCalibrator, scoreQueries } from '../training/fit-calibrator.ts';
import { entryTexts } from '../retrieval/kb-texts.ts';
import { createLexicalIndex } from '../retrieval/lexical-index.ts';
import { createLexicalScorer } from '../retrieval/lexical-scorer.ts';
import { calibratedRetriever } from '../retrieval/scorer.ts';
import type { EvalSystem } from './run-eval.ts';

export async function lexicalBaselines(
  entries: readonly KbEntry[],
  corpus: readonly CorpusLike[],
  analyzer: Analyzer,
  calibration: { split?: SplitOptions; heldOutServices?: string[]; coveredServices?: string[] } = {},
): Promise<EvalSystem[]> {
  const splitOptions = calibration.split ?? DEFAULT_SPLIT;
  const split = makeCalibrationSplit(entries, corpus, splitOptions);
  const calIndex = createLexicalIndex(entryTexts(split.trainEntries), analyzer);
  const fullIndex = createLexicalIndex(entryTexts(entries), analyzer);
  const queries = [
    ...split.positives,
    ...outOfScopeQueries(corpus, calibration.heldOutServices ?? split.heldOutServices, new Set(calibration.coveredServices ?? [])),
  ];
  const systems: EvalSystem[] = [];
  for (const mode of ['words', 'trigrams'] as const) {
    const calScorer = createLexicalScorer(calIndex, mode);
    const scored = await scoreQueries(calScorer, queries);
    const model = fitCalibrator(calScorer, queries, scored);
    const { thresholds } = chooseThresholds(calScorer.featureNames, queries, scored, splitOptions.seed);
    systems.push({ name: `bm25-${mode}`, retriever: calibratedRetriever(createLexicalScorer(fullIndex, mode), model), thresholds });
  }
  return systems;
}
