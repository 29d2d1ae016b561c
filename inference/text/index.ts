/**
 * Text processing for Kazakh, Russian and English: normalisation (script, case, Latin-script
 * Kazakh and Russian), tokens, stems and lexicon concepts. Everything Kömek indexes or retrieves
 * goes through {@link analyze}.
 */
import type { Lang } from '../../core/lang.ts';
import { defaultLexiconInstance } from './lexicon.ts';
import { normalizeText } from './normalize.ts';
import { stem } from './stem.ts';
import { tokenize } from './tokenize.ts';

export { normalizeText, latinToCyrillic, isLatinScript } from './normalize.ts';
export type { LatinHandling, NormalizeOptions } from './normalize.ts';
export { tokenize } from './tokenize.ts';
export { stem, stemLanguage } from './stem.ts';
export { createLexicon, expandConcepts, defaultLexiconInstance } from './lexicon.ts';
export type { ConceptGroup, Lexicon } from './lexicon.ts';
export { LEXICON } from './lexicon-data.ts';
export { foldCyrillic } from './fold.ts';

/** One text, ready for matching. */
export interface Analysis {
  /** normalizeText(text) */
  normalized: string;
  /** Words and numbers of the normalised text. */
  tokens: string[];
  /** One stem per token (same order). */
  stems: string[];
  /** Concept ids of the built-in lexicon, in order of first appearance. */
  concepts: string[];
}

/**
 * Normalises, tokenises, stems and finds lexicon concepts. `lang` is the message language when
 * known; it decides how Cyrillic words without Kazakh letters are stemmed (Kazakh or Russian).
 * Without it they are stemmed as Russian, and words with Kazakh letters as Kazakh.
 */
export function analyze(text: string, lang?: Lang): Analysis {
  const normalized = normalizeText(text);
  const tokens = tokenize(normalized);
  return {
    normalized,
    tokens,
    stems: tokens.map((t) => stem(t, lang)),
    concepts: defaultLexiconInstance().expandTokens(tokens),
  };
}
