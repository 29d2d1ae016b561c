/**
 * Trains the retrieval stack on a knowledge base in memory and evaluates labelled questions on
 * it, hybrid beside the lexical baselines, each with the thresholds its own calibration chose —
 * what a deployer's knowledge base gets. The battery test and `komek eval --kb` measure with it.
 */
import { decide } from '../../core/decide.ts';
import type { KbEntry } from '../../core/kb.ts';
import { detectPersonRequest } from '../../core/person-request.ts';
import { detectSmallTalk } from '../../core/small-talk.ts';
import { createOnnxEncoder } from '../encoder/onnx-encoder.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import type { CorpusLike } from '../training/training-data.ts';
import { trainedEmbedder } from '../retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval, type FitOptions, type FittedRetrieval } from '../training/fit-retrieval.ts';
import { buildHybridScorer } from '../retrieval/hybrid-retriever.ts';
import { calibratedRetriever } from '../retrieval/scorer.ts';
import { lexicalBaselines } from './baselines.ts';
import type { EvalQuestion } from './dataset.ts';
import { evaluateSystems, type SystemResult } from './run-eval.ts';

export interface KbEvaluation {
  fit: Pick<FittedRetrieval, 'calibration' | 'seconds'>;
  /** hybrid, bm25-words, bm25-trigrams (the baselines only with `baselines`). */
  results: SystemResult[];
}

export async function evaluateKnowledgeBase(
  entries: readonly KbEntry[],
  questions: readonly EvalQuestion[],
  corpus: readonly CorpusLike[],
  analyzer: Analyzer,
  opts: Pick<FitOptions, 'seed' | 'train' | 'split' | 'onProgress'> & { baselines?: boolean },
): Promise<KbEvaluation> {
  const fit = await fitRetrieval(entries, corpus, analyzer, opts);
  const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyzer);
  try {
    const embedder = trainedEmbedder(encoder);
    const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, embedder);
    const scorer = await buildHybridScorer(entries, embedder, analyzer, fit.vectors, background);
    try {
      const systems = [
        { name: 'hybrid', retriever: calibratedRetriever(scorer, fit.calibration.model), thresholds: fit.calibration.thresholds },
        ...(opts.baselines ? await lexicalBaselines(entries, corpus, analyzer, fit.calibration) : []),
      ];
      const results = await evaluateSystems(questions, systems, { detectPersonRequest, detectSmallTalk, decide });
      return { fit: { calibration: fit.calibration, seconds: fit.seconds }, results };
    } finally {
      await scorer.close();
      await background.close();
    }
  } finally {
    await encoder.close();
  }
}
