/**
 * Lookups in the word lists: is this an English word, a Kazakh word, a Russian word? Kazakh and
 * Russian words are compared folded (so "калай" finds "қалай") and, for longer words, by stem
 * (so "құжаттарды" finds "құжат"). A folded form that is Russian is never taken as Kazakh:
 * "не" and "да" are words of both languages and prove nothing.
 */
import { foldCyrillic } from './fold.ts';
import { stemKazakh } from './stem-kk.ts';
import { stemRussian } from './stem-ru.ts';
import { transliterate } from './translit.ts';
import { ENGLISH_WORDS, KAZAKH_CUES, RUSSIAN_CUES } from './word-lists.ts';

/** Stems shorter than this are too unspecific to identify a language. */
const MIN_STEM_KEY = 4;
/** Words shorter than this are matched exactly, never by stem. */
const MIN_STEMMED_WORD = 5;

interface CueSets {
  english: Set<string>;
  kk: Set<string>;
  kkStems: Set<string>;
  ru: Set<string>;
  ruStems: Set<string>;
}

const words = (list: string): string[] => list.split(/\s+/).filter((w) => w.length > 0);

function build(): CueSets {
  const ruWords = words(RUSSIAN_CUES).map((w) => w.replace(/ё/g, 'е'));
  const ru = new Set(ruWords.map(foldCyrillic));
  const ruStems = new Set(
    ruWords.filter((w) => w.length >= MIN_STEMMED_WORD).map((w) => foldCyrillic(stemRussian(w))),
  );
  const kkWords = words(KAZAKH_CUES).filter((w) => !ru.has(foldCyrillic(w)));
  const kk = new Set(kkWords.map(foldCyrillic));
  const kkStems = new Set(
    kkWords
      .filter((w) => w.length >= MIN_STEMMED_WORD)
      .map((w) => foldCyrillic(stemKazakh(w)))
      .filter((k) => k.length >= MIN_STEM_KEY && !ru.has(k) && !ruStems.has(k)),
  );
  for (const k of kkStems) ruStems.delete(k);
  return { english: new Set(words(ENGLISH_WORDS)), kk, kkStems, ru, ruStems };
}

let sets: CueSets | undefined;
// Built on first use: pure data, no I/O, shared by every caller in the process.
const cueSets = (): CueSets => (sets ??= build());

/** Whether a lowercase Latin token (apostrophes removed) is a common English word. */
export function isEnglishWord(token: string): boolean {
  return cueSets().english.has(token);
}

/** Language cues of one lowercase Cyrillic word. */
export interface WordCue {
  kk: boolean;
  ru: boolean;
}

/** Whether a lowercase Cyrillic word is a known Kazakh and/or Russian word. */
export function cyrillicCue(word: string): WordCue {
  const s = cueSets();
  const key = foldCyrillic(word);
  if (s.ru.has(key)) return { kk: false, ru: true };
  if (s.kk.has(key)) return { kk: true, ru: false };
  if (word.length < MIN_STEMMED_WORD) return { kk: false, ru: false };
  const kkStem = foldCyrillic(stemKazakh(word));
  const ruStem = foldCyrillic(stemRussian(word));
  const kk = kkStem.length >= MIN_STEM_KEY && s.kkStems.has(kkStem);
  const ru = !kk && ruStem.length >= MIN_STEM_KEY && s.ruStems.has(ruStem);
  return { kk, ru };
}

/** Cues of a Latin token read as Kazakh or Russian transliteration ("kalai" → калай). */
export function latinCue(token: string): WordCue {
  const cyrillic = transliterate(token, 'kk');
  return cyrillic === undefined ? { kk: false, ru: false } : cyrillicCue(cyrillic);
}
