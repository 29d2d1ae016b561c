/**
 * Lexical-only retrieval over the database's full-text and trigram search, with a confidence
 * that is comparable across queries. Used when no encoder is available and as the baseline the
 * evaluation prints beside the hybrid retriever.
 */
import type { Candidate, KnowledgeBase, Retriever } from '../core/ports.ts';

/**
 * Raw lexical scores grow with query length, so confidence is squashed from the best score and
 * its lead over the runner-up.
 */
export function createLexicalRetriever(kb: KnowledgeBase): Retriever {
  return {
    async retrieve(text, opts) {
      const hits = await kb.lexicalSearch(text, { limit: (opts.limit ?? 5) * 4 });
      const best = new Map<string, number>();
      for (const h of hits) {
        // The citizen's language counts a little more: same words, same entry, right language.
        const s = h.lang === opts.lang ? h.score * 1.1 : h.score;
        best.set(h.faqId, Math.max(best.get(h.faqId) ?? 0, s));
      }
      const ranked = [...best.entries()].sort((a, b) => b[1] - a[1]).slice(0, opts.limit ?? 5);
      return ranked.map(([faqId, score]): Candidate => ({ faqId, score: 1 - Math.exp(-2.5 * score) }));
    },
  };
}
