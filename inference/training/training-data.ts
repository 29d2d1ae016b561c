/**
 * Training groups from the two sources: the project's corpus of citizen phrasings (one group per
 * service, all languages together) and the deployer's knowledge base (one group per entry id:
 * question, alternative phrasings and the answer's first sentence, in every language — so the
 * Kazakh and Russian versions of an entry are parallel pairs).
 */
import type { Lang } from '../../core/lang.ts';

/** A raw training text with its language. */
export interface LabelledText {
  text: string;
  lang: Lang;
}

/** Texts of one meaning, before featurization. */
export interface TextGroup {
  key: string;
  texts: LabelledText[];
}

/** The corpus shape (see data/corpus and inference/load-corpus.ts). */
export interface CorpusLike {
  service: string;
  category: string;
  texts: { kk: string[]; ru: string[]; en: string[] };
}

/** One group per corpus service. */
export function corpusGroups(corpus: readonly CorpusLike[]): TextGroup[] {
  return corpus.map((s) => ({
    key: `corpus:${s.service}`,
    texts: (['kk', 'ru', 'en'] as const).flatMap((lang) => s.texts[lang].map((text) => ({ text, lang }))),
  }));
}

/** One group per entry id from entry texts (see retrieval/kb-texts.ts). */
export function kbGroups(texts: readonly { faqId: string; lang: Lang; text: string }[]): TextGroup[] {
  const byId = new Map<string, LabelledText[]>();
  for (const t of texts) {
    const list = byId.get(t.faqId) ?? [];
    list.push({ text: t.text, lang: t.lang });
    byId.set(t.faqId, list);
  }
  return [...byId].map(([id, list]) => ({ key: `kb:${id}`, texts: list }));
}
