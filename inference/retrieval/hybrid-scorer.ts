/**
 * Candidates of the hybrid retriever: the dense index's best entries joined with the lexical
 * index's best (reciprocal-rank style: an entry found by either is a candidate), each described
 * by features of both — cosine, its lead over the other candidates, the lexical score relative
 * to the best, lexical rank — plus how much of the question the knowledge base knows at all and
 * how much closer the entry is than the nearest phrasing of a service the knowledge base lacks,
 * and whether the question asks the facet (cost, documents, where, how long, who) the entry's own
 * questions ask: facet entries of one service share nearly every word but that one.
 */
import { askedFacets, entryFacets, type Facet } from '../../core/facets.ts';
import { topicalWords } from '../../core/follow-up.ts';
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import type { DenseIndex } from './dense-index.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { CandidateScorer, ScoredCandidate } from './scorer.ts';

export const HYBRID_FEATURES = ['cos', 'cos_same', 'cos_lead', 'lex_rel', 'lex_rrank', 'dense_rrank', 'coverage', 'cos_over_background', 'facet_hit', 'facet_miss'] as const;

export interface HybridScorerDeps {
  dense: DenseIndex;
  lexical: LexicalIndex;
  /** Query vector for a text (the encoder, through its micro-batcher). */
  embed(text: string, lang: Lang | undefined): Promise<Float32Array>;
  /** Candidates taken from each source (default 10). */
  depth?: number;
  /**
   * Phrasings of known services the knowledge base does not cover (from the corpus): a question
   * closer to one of them than to any entry is about something else. Optional.
   */
  background?: DenseIndex;
  /** Each entry's facets (facetsByEntry); without them both facet features are 0. */
  facets?: ReadonlyMap<string, readonly Facet[]>;
}

/** The facets of each entry, from its questions in every language (see core/facets.ts). */
export function facetsByEntry(entries: readonly KbEntry[]): Map<string, Facet[]> {
  const questions = new Map<string, string[]>();
  for (const e of entries) {
    if (!e.enabled) continue;
    const list = questions.get(e.id) ?? [];
    list.push(e.question, ...e.altQuestions);
    questions.set(e.id, list);
  }
  return new Map([...questions].map(([id, qs]) => [id, entryFacets(qs.filter(Boolean))]));
}

export function createHybridScorer(deps: HybridScorerDeps): CandidateScorer {
  const depth = deps.depth ?? 10;
  return {
    featureNames: HYBRID_FEATURES,
    async candidates(text, lang) {
      const query = await deps.embed(text, lang);
      const lex = deps.lexical.search(text, 'trigrams', depth, lang);
      const dense = await deps.dense.search(query, lang, depth, lex.map((h) => h.faqId));
      if (dense.length === 0) return [];
      const coverage = deps.lexical.coverage(text, lang);
      const lexRank = new Map(lex.map((h, i) => [h.faqId, i]));
      const lexScore = new Map(lex.map((h) => [h.faqId, h.score]));
      const topLex = lex[0]?.score ?? 0;
      const denseOrder = [...dense].sort((a, b) => b.any - a.any);
      const denseRank = new Map(denseOrder.map((h, i) => [h.faqId, i]));
      const best = denseOrder[0]!.any;
      const second = denseOrder[1]?.any ?? -1;
      const background = deps.background && deps.background.textCount > 0 ? await deps.background.best(query) : 0;
      // A message of facet words alone («а документы?») names no service: the facet would lift
      // that facet's entry of every service alike and make one of them look sure, which is for
      // the conversation's topic to decide (core/follow-up.ts), not the facet.
      const asked = deps.facets && topicalWords(text).length > 0 ? askedFacets(text) : [];
      return dense.map((h): ScoredCandidate => {
        const others = h.any === best ? second : best;
        const lr = lexRank.get(h.faqId);
        return {
          faqId: h.faqId,
          features: [
            h.any,
            h.same >= -0.5 ? h.same : h.any,
            h.any - others,
            topLex > 0 ? (lexScore.get(h.faqId) ?? 0) / topLex : 0,
            lr === undefined ? 0 : 1 / (1 + lr),
            1 / (1 + denseRank.get(h.faqId)!),
            coverage,
            h.any - background,
            ...facetFeatures(asked, deps.facets?.get(h.faqId)),
          ],
        };
      });
    },
  };
}

/**
 * [asks one of the entry's facets, asks facets the entry does not]. A question that asks no facet,
 * or an entry whose questions ask none (most entries of a knowledge base without facet entries),
 * is no evidence either way: both 0.
 */
function facetFeatures(asked: readonly Facet[], entry: readonly Facet[] | undefined): [number, number] {
  if (asked.length === 0 || !entry || entry.length === 0) return [0, 0];
  return asked.some((f) => entry.includes(f)) ? [1, 0] : [0, 1];
}
