/**
 * Links corpus services to the knowledge-base entries that cover them, before any model exists:
 * a service is linked to an entry when more than `share` of its phrasings find that entry first
 * by character-trigram BM25. Training then uses a linked service's phrasings — the many ways
 * citizens ask — as more positives of the entry.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import type { CorpusLike } from './training-data.ts';
import { entryTexts } from '../retrieval/kb-texts.ts';
import { createLexicalIndex } from '../retrieval/lexical-index.ts';

/** For each corpus service: its phrasings' count, and how many of them find each entry first. */
export function entryVotes(entries: readonly KbEntry[], corpus: readonly CorpusLike[], analyzer: Analyzer): { service: string; texts: number; votes: Map<string, number> }[] {
  const index = createLexicalIndex(entryTexts(entries), analyzer);
  return corpus.map((s) => {
    const texts = [...s.texts.kk, ...s.texts.ru, ...s.texts.en];
    const votes = new Map<string, number>();
    for (const t of texts) {
      const top = index.search(t, 'trigrams', 1)[0]?.faqId;
      if (top) votes.set(top, (votes.get(top) ?? 0) + 1);
    }
    return { service: s.service, texts: texts.length, votes };
  });
}

/** Entry id → services linked to it. */
export function linkCorpusToEntries(entries: readonly KbEntry[], corpus: readonly CorpusLike[], analyzer: Analyzer, share = 0.5): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const { service, texts, votes } of entryVotes(entries, corpus, analyzer)) {
    let best: string | null = null;
    let most = 0;
    for (const [id, n] of votes) {
      if (n > most || (n === most && best !== null && id < best)) [best, most] = [id, n];
    }
    if (best !== null && most > texts * share) links.set(best, [...(links.get(best) ?? []), service]);
  }
  return links;
}
