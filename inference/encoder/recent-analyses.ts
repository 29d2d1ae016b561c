/**
 * One analysis per question instead of three: retrieval analyses a question for the encoder's
 * features, for the lexical search and for the lexical coverage, each time with the same text and
 * language. Text analysis is a pure function of the two, so the later calls can take the first
 * one's result. A few recent questions are kept (insertion order, oldest dropped first), enough
 * for the questions a worker has in flight at once.
 */
import type { Lang } from '../../core/lang.ts';
import type { Analysis, Analyzer } from './featurize.ts';

/**
 * `analyzer` with its last `size` results remembered. The returned analyses are shared between
 * callers, so they must be read only (the featurizer and the lexical index only read them).
 */
export function recentAnalyses(analyzer: Analyzer, size = 64): Analyzer {
  const recent = new Map<string, Analysis>();
  return function analyzeRecent(text: string, lang?: Lang): Analysis {
    const key = `${lang ?? ''}\u0000${text}`;
    let a = recent.get(key);
    if (a === undefined) {
      a = analyzer(text, lang);
      recent.set(key, a);
      if (recent.size > size) recent.delete(recent.keys().next().value!);
    }
    return a;
  };
}
