/**
 * The lexical baselines as candidate scorers (BM25 over words or character trigrams, in memory),
 * so `komek eval` can calibrate and judge them exactly like the hybrid retriever.
 */
import type { LexicalIndex, LexicalMode } from './lexical-index.ts';
import type { CandidateScorer } from './scorer.ts';

export const LEXICAL_FEATURES = ['bm25', 'bm25_rel', 'bm25_lead', 'coverage'] as const;

export function createLexicalScorer(index: LexicalIndex, mode: LexicalMode, depth = 10): CandidateScorer {
  return {
    featureNames: LEXICAL_FEATURES,
    async candidates(text, lang) {
      const hits = index.search(text, mode, depth, lang);
      if (hits.length === 0) return [];
      const coverage = index.coverage(text, lang);
      const top = hits[0]!.score;
      const second = hits[1]?.score ?? 0;
      return hits.map((h, i) => ({
        faqId: h.faqId,
        features: [Math.log1p(h.score), h.score / top, i === 0 ? (top - second) / top : (h.score - top) / top, coverage],
      }));
    },
  };
}
