/**
 * In-memory lexical indexes over the knowledge base: BM25 over words and over character
 * trigrams, one document per entry and language (question, alternative phrasings and the
 * answer's first sentence). The trigram index is also a feature of the hybrid confidence.
 */
import type { Lang } from '../../core/lang.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import { charTrigrams, createBm25Index, type Bm25Index } from './bm25.ts';
import type { EntryText } from './kb-texts.ts';

export type LexicalMode = 'words' | 'trigrams';

export interface LexicalHitScore {
  faqId: string;
  score: number;
}

export interface LexicalIndex {
  /** Entries by BM25 (best over the entry's languages), best first. */
  search(text: string, mode: LexicalMode, limit: number, lang?: Lang): LexicalHitScore[];
  /** Share of the query's words that occur anywhere in the knowledge base (0..1). */
  coverage(text: string, lang?: Lang): number;
}

export function createLexicalIndex(texts: readonly EntryText[], analyzer: Analyzer): LexicalIndex {
  const docKeys: { faqId: string; lang: Lang }[] = [];
  const docWords: string[][] = [];
  const docTrigrams: string[][] = [];
  const byKey = new Map<string, number>();
  for (const t of texts) {
    const key = `${t.faqId}\u0000${t.lang}`;
    let doc = byKey.get(key);
    if (doc === undefined) {
      doc = docKeys.length;
      byKey.set(key, doc);
      docKeys.push({ faqId: t.faqId, lang: t.lang });
      docWords.push([]);
      docTrigrams.push([]);
    }
    const a = analyzer(t.text, t.lang);
    docWords[doc]!.push(...a.tokens);
    docTrigrams[doc]!.push(...charTrigrams(a.normalized));
  }
  const indexes: Record<LexicalMode, Bm25Index> = {
    words: createBm25Index(docWords),
    trigrams: createBm25Index(docTrigrams),
  };
  return {
    search(text, mode, limit, lang) {
      const a = analyzer(text, lang);
      const terms = mode === 'words' ? a.tokens : charTrigrams(a.normalized);
      const best = new Map<string, number>();
      for (const [doc, score] of indexes[mode].search(terms, limit * 3)) {
        const id = docKeys[doc]!.faqId;
        best.set(id, Math.max(best.get(id) ?? 0, score));
      }
      return [...best]
        .map(([faqId, score]) => ({ faqId, score }))
        .sort((x, y) => y.score - x.score || (x.faqId < y.faqId ? -1 : 1))
        .slice(0, limit);
    },
    coverage(text, lang) {
      const tokens = analyzer(text, lang).tokens;
      if (tokens.length === 0) return 0;
      return tokens.filter((t) => indexes.words.has(t)).length / tokens.length;
    },
  };
}
