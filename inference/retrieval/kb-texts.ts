/**
 * The texts of a knowledge-base entry that retrieval matches against: the question, each
 * alternative phrasing and the answer's first sentence (answers often restate the question in
 * words the citizen uses). Fields follow `StoredVector.field`: 'q', 'a0', 'a1', …, 'ans'.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';

export interface EntryText {
  faqId: string;
  lang: Lang;
  field: string;
  text: string;
}

/** The first sentence of an answer, capped so a long first sentence does not dilute the vector. */
export function firstSentence(answer: string, maxChars = 220): string {
  const trimmed = answer.trim();
  const match = /^(.+?[.!?])(\s|$)/s.exec(trimmed);
  const sentence = (match ? match[1]! : trimmed).replace(/\s+/g, ' ');
  return sentence.length <= maxChars ? sentence : sentence.slice(0, maxChars).replace(/\s+\S*$/, '');
}

/** Every text of `entries` (enabled ones only), in a stable order. */
export function entryTexts(entries: readonly KbEntry[], opts: { withAnswer?: boolean } = {}): EntryText[] {
  const out: EntryText[] = [];
  for (const e of entries) {
    if (!e.enabled) continue;
    // Empty only while calibrating, when the question is held out (training/calibration-split.ts).
    if (e.question) out.push({ faqId: e.id, lang: e.lang, field: 'q', text: e.question });
    e.altQuestions.forEach((text, i) => out.push({ faqId: e.id, lang: e.lang, field: `a${i}`, text }));
    if (opts.withAnswer ?? true) {
      const ans = firstSentence(e.answer);
      if (ans) out.push({ faqId: e.id, lang: e.lang, field: 'ans', text: ans });
    }
  }
  return out;
}
