/**
 * Language identification for kk/ru/en, made for short chat messages. Letters decide first (any
 * of ә ғ қ ң ө ұ ү һ і, or the Latin ä ğ ñ ö ş ū ü ı q, means Kazakh); then known words, which
 * also cover Kazakh typed without Kazakh letters ("калай", "рахмет") and Kazakh or Russian typed
 * in Latin letters ("qalai", "kerek", "spasibo"); then word endings; and only when all that is
 * silent, tinyld's character statistics restricted to the three languages (its tables for these
 * three alone: language-statistics.ts). No general-purpose detector knows Latin-script Kazakh,
 * and none is reliable on one-word messages.
 */
import type { DetectedLang, Lang } from '../core/lang.ts';
import type { LanguageDetector } from '../core/ports.ts';
import { detectAllStatistics } from './language-statistics.ts';
import { cyrillicCue } from './text/cues.ts';
import { KAZAKH_LETTERS, foldCyrillic } from './text/fold.ts';
import { assessLatinToken, type LatinToken } from './text/latin-token.ts';
import { normalizeText } from './text/normalize.ts';
import { tokenize } from './text/tokenize.ts';

export interface LanguageDetectorOptions {
  /** Language reported (with confidence 0) for text without letters. Default 'kk'. */
  fallback?: Lang;
  /** Consult tinyld when words give no evidence. Default true. */
  statistics?: boolean;
}

/** Evidence gathered from the words of one message. */
interface Evidence {
  kk: number;
  ru: number;
  en: number;
  /** Words with letters only Kazakh has. */
  kazakhLetters: number;
  cyrillicWords: number;
  latinWords: number;
}

// Weights: a word only one language has counts 1.5, an ending 0.5, a word two languages share
// little. A word with Kazakh letters counts 2 and settles the question alone.
const LETTER = 2;
const WORD = 1.5;
const ENDING = 0.5;
const ENGLISH_SHARE = 0.5;

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z\u00c0-\u024f]/;
const LATIN_KAZAKH = /[äöüūğñşıə]|q(?!u)/;
// Endings frequent in one language and rare in the other (weak evidence only).
const KK_ENDING =
  /(?:лар|лер|дар|дер|тар|тер|мын|мин|мыз|миз|сыз|сиз|ныз|низ|уга|уге|ган|ген|дан|ден|нан|нен|лык|лик|дык|дик|ушы|уши|ады|еди|йды|йди)$/;
const RU_ENDING = /(?:ость|ение|ание|ться|ется|ются|ого|его|ому|ему|ями|ами|ых|их|ий|ый|ая|ое|ые|ие|ию|ия|ешь|ишь)$/;

function cyrillicEvidence(word: string, e: Evidence): void {
  e.cyrillicWords++;
  if (KAZAKH_LETTERS.test(word)) {
    e.kazakhLetters++;
    e.kk += LETTER;
    return;
  }
  const cue = cyrillicCue(word);
  if (cue.kk) e.kk += WORD;
  else if (cue.ru) e.ru += WORD;
  else if (word.length > 3) {
    const folded = foldCyrillic(word);
    if (KK_ENDING.test(folded)) e.kk += ENDING;
    if (RU_ENDING.test(word)) e.ru += ENDING;
  }
}

function latinEvidence(word: string, a: LatinToken, englishMessage: boolean, e: Evidence): void {
  e.latinWords++;
  if (LATIN_KAZAKH.test(word)) {
    e.kazakhLetters++;
    e.kk += LETTER;
    return;
  }
  // "how to get zheke kualik": Kazakh words inside an English sentence count half.
  const weight = englishMessage ? WORD / 2 : WORD;
  if (a.english && !a.ambiguous) e.en += 1;
  else if (a.english) {
    // "no", "men", "bar": English first (they are written in Latin), the others a little.
    e.en += 0.5;
    if (a.kkWord) e.kk += 0.25;
    if (a.ruWord) e.ru += 0.25;
  } else if (a.kkWord) e.kk += weight;
  else if (a.ruWord) e.ru += weight;
  else if (a.translit >= 1 && a.lang !== undefined) e[a.lang] += ENDING;
  else e.en += 0.3;
}

function gather(text: string): Evidence {
  const e: Evidence = { kk: 0, ru: 0, en: 0, kazakhLetters: 0, cyrillicWords: 0, latinWords: 0 };
  // Latin kept as typed: transliteration would invent Kazakh letters (i → і).
  const words = tokenize(normalizeText(text, { latin: 'keep' }));
  const latin = words.filter((w) => !CYRILLIC.test(w) && LATIN.test(w)).map((w) => [w, assessLatinToken(w)] as const);
  // The normaliser's rule for an English message: half or more of the Latin words are English.
  const english = latin.reduce((sum, [, a]) => sum + (a.english ? (a.ambiguous ? 0.5 : 1) : 0), 0);
  const englishMessage = latin.length > 0 && english >= ENGLISH_SHARE * latin.length;
  for (const word of words) if (CYRILLIC.test(word)) cyrillicEvidence(word, e);
  for (const [word, a] of latin) latinEvidence(word, a, englishMessage, e);
  return e;
}

/** Confidence from the winning score, the runner-up and how much evidence there is at all. */
function confidence(top: number, second: number): number {
  if (top <= 0) return 0;
  const margin = (top - second) / (top + second);
  const strength = 1 - Math.exp(-top / 1.5);
  return round(0.3 + 0.69 * margin * strength);
}

const round = (x: number): number => Math.round(Math.min(0.99, Math.max(0, x)) * 100) / 100;

function ranked(e: Evidence): [Lang, number][] {
  return (
    [
      ['kk', e.kk],
      ['ru', e.ru],
      ['en', e.en],
    ] as [Lang, number][]
  ).sort((a, b) => b[1] - a[1]);
}

/** tinyld, restricted to kk/ru/en, on text the word lists could not place. */
function statistical(text: string, cyrillic: boolean): DetectedLang | undefined {
  const only = cyrillic ? ['kk', 'ru'] : ['kk', 'ru', 'en'];
  const [best] = detectAllStatistics(text, only);
  if (best === undefined || !(only as string[]).includes(best.lang)) return undefined;
  return { lang: best.lang as Lang, confidence: round(0.3 + 0.4 * Math.min(1, best.accuracy)) };
}

function decide(text: string, e: Evidence, statistics: boolean): DetectedLang | undefined {
  const [[lang, top], [, second]] = ranked(e) as [[Lang, number], [Lang, number], [Lang, number]];
  // Kazakh letters settle it, unless the message is plainly English around one Kazakh word.
  if (e.kazakhLetters > 0 && !(e.en > 2 * (e.kk + e.ru) && e.latinWords > e.cyrillicWords)) {
    return { lang: 'kk', confidence: Math.max(0.9, confidence(e.kk, Math.max(e.ru, e.en))) };
  }
  // Kazakh words in a Russian message make it a Kazakh (mixed) message.
  if (e.kk >= WORD && e.ru >= e.kk && e.en < e.ru) {
    return { lang: 'kk', confidence: round(0.5 + 0.1 * Math.min(3, e.kk / WORD)) };
  }
  if (top > 0 && top > second) {
    // Two or more Kazakh words outweigh a shared loanword ("паспорт алу керек").
    const floor = lang === 'kk' && top >= 2 * WORD ? 0.7 : 0;
    return { lang, confidence: Math.max(floor, confidence(top, second)) };
  }
  if (!statistics) return undefined;
  return statistical(text, e.cyrillicWords >= e.latinWords);
}

/**
 * Creates the kk/ru/en detector used by the pipeline. Confidence is 0..1: ≥0.9 for Kazakh
 * letters, about 0.6–0.95 for known words, 0.3–0.7 from statistics, 0 when there are no letters
 * (then `fallback`, Kazakh by default, is returned and the caller should keep the language it had).
 */
export function createLanguageDetector(opts: LanguageDetectorOptions = {}): LanguageDetector {
  const fallback = opts.fallback ?? 'kk';
  const statistics = opts.statistics ?? true;
  return {
    detect(text: string): DetectedLang {
      const e = gather(text);
      if (e.cyrillicWords + e.latinWords === 0) return { lang: fallback, confidence: 0 };
      const decided = decide(text, e, statistics);
      if (decided !== undefined) return decided;
      // No evidence either way: Cyrillic is more often Russian, Latin more often English.
      return { lang: e.cyrillicWords >= e.latinWords ? 'ru' : 'en', confidence: 0.3 };
    },
  };
}
