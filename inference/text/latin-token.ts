/**
 * What a Latin-script word probably is: an English word, Latin-script Kazakh ("qajet",
 * "zheke"), or transliterated Russian ("spravka", "poluchit"). The normaliser converts the last
 * two to Cyrillic and must never touch the first; the language detector reuses the same evidence.
 */
import { isEnglishWord, latinCue } from './cues.ts';
import { transliterate, type TranslitLang } from './translit.ts';

/** Evidence about one Latin token; all decisions depend on the token alone. */
export interface LatinToken {
  /** A common English word. */
  english: boolean;
  /** An English word that is also a Kazakh or Russian word in Latin letters ("men", "no", "bar"). */
  ambiguous: boolean;
  /** A known Kazakh / Russian word once transliterated. */
  kkWord: boolean;
  ruWord: boolean;
  /** Kazakh / Russian / English evidence from letters and endings. */
  kk: number;
  ru: number;
  en: number;
  /** How much the token looks like a transliteration rather than English (higher: convert). */
  translit: number;
  /** Kazakh or Russian reading, when the evidence prefers one. */
  lang: TranslitLang | undefined;
}

interface Marker {
  re: RegExp;
  weight: number;
}

// Letters and endings of Latin-script Kazakh. English collisions (-lar in "dollar", -ty in
// "city") are left out on purpose: a missed Kazakh word is cheaper than a mangled English one.
const KK_MARKERS: Marker[] = [
  { re: /[äöüūğñşıəáóúǵń]/, weight: 3 },
  { re: /q(?!u)/, weight: 3 },
  { re: /(?:lyq|lik|dyq|dik|tyq|tik|lyk|dyk|tyk|ushy|ushi|ymyz|imiz|ynyz|iniz|uga|uge|ugha|ughe|gha|ghe|syz|siz|myn)$/, weight: 2 },
  { re: /(?:dan|nen|eu|au|yp|ga)$/, weight: 1 },
  { re: /[^aeiou]gh[aeiouy]/, weight: 1 },
];
const RU_MARKERS: Marker[] = [
  { re: /shch/, weight: 3 },
  { re: /(?:iya|nie|niye|nija|stvo|stva|skiy|skii|skaya|skoe|skogo|yy|iy|yi|aya|oye|ogo|omu|emu|ykh|ikh|ovich|ovna|evich|tsiya|tsii|nost|tsya|tsa|ovat|ivat|yvat)$/, weight: 2 },
  { re: /(?:ov|ova|ev|eva|ka|yut|yat|ego)$/, weight: 1 },
  { re: /ts[aeiouy]/, weight: 1 },
];
const SHARED_MARKERS: Marker[] = [
  { re: /zh|kh/, weight: 1 },
  { re: /y[au]/, weight: 1 },
];
const EN_MARKERS: Marker[] = [
  { re: /(?:tion|sion|ness|ght)s?$|wh/, weight: 3 },
  { re: /th|ph|ck|qu|(?:ment|ing|ful|ous|able|ible|ity|ture)s?$/, weight: 2 },
  { re: /w|x|ee|oo|ea|ou|c(?![hk])|ed$/, weight: 1 },
];

const score = (token: string, markers: Marker[]): number =>
  markers.reduce((sum, m) => (m.re.test(token) ? sum + m.weight : sum), 0);

/** Evidence needed to convert an unknown word inside an English message. */
export const STRONG_TRANSLIT = 2;

/**
 * Assesses one lowercase Latin token with apostrophes removed. Pure: the same token always gets
 * the same answer, which keeps normalisation idempotent.
 */
export function assessLatinToken(token: string): LatinToken {
  if (!isEnglishWord(token)) return assess(token, false);
  // English words come back in every English message; their answer never changes, so it is
  // kept (the cache is bounded by the English word list).
  let known = englishCache.get(token);
  if (known === undefined) englishCache.set(token, (known = assess(token, true)));
  return known;
}

const englishCache = new Map<string, LatinToken>();

function assess(token: string, english: boolean): LatinToken {
  const cue = latinCue(token);
  const shared = score(token, SHARED_MARKERS);
  const kk = score(token, KK_MARKERS) + shared + (cue.kk ? 3 : 0);
  const ru = score(token, RU_MARKERS) + shared + (cue.ru ? 3 : 0);
  const en = score(token, EN_MARKERS);
  const known = cue.kk || cue.ru;
  const translit = known ? 3 : Math.max(kk, ru) - en;
  const lang = kk > ru ? 'kk' : ru > kk ? 'ru' : undefined;
  return { english, ambiguous: english && known, kkWord: cue.kk, ruWord: cue.ru, kk, ru, en, translit, lang };
}

/**
 * Transliterates a Latin-script Kazakh or Russian token to Cyrillic: "qalai" → "қалай",
 * "pasport" → "паспорт", "udostoverenie" → "удостоверение". `prefer` decides the reading when the
 * token itself gives no hint (Kazakh otherwise). Returns the token unchanged when a letter has no
 * reading. Does not check whether the token is English: that is the normaliser's call.
 */
export function latinToCyrillic(token: string, prefer?: TranslitLang): string {
  const lower = token.toLowerCase();
  const lang = assessLatinToken(lower.replace(/'/g, '')).lang ?? prefer ?? 'kk';
  return transliterate(lower, lang) ?? token;
}
