/**
 * Lossy folding of Cyrillic words into a key that ignores the differences people make when
 * typing Kazakh on a Russian keyboard or in informal Latin: "куәлік", "куалик" and "kualik"
 * (after transliteration) all fold to "куалик". Used only for matching, never for display.
 */

const FOLD: Record<string, string> = {
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  і: 'и',
  ы: 'и',
  й: 'и',
  ё: 'е',
  э: 'е',
  ь: '',
  ъ: '',
};

const FOLDABLE = /[әғқңөұүһіыйёэьъ]/;

/**
 * Folds Kazakh-specific letters to their nearest Russian ones, і/ы/й to и, drops ь/ъ.
 * Input is expected lowercase (normalised).
 */
export function foldCyrillic(word: string): string {
  if (!FOLDABLE.test(word)) return word;
  let out = '';
  for (const ch of word) {
    const f = FOLD[ch];
    out += f === undefined ? ch : f;
  }
  return out;
}

/**
 * A lighter fold that keeps ы apart from и: for stems, where "жыл" (year) and "жил" (жилье,
 * housing) must stay different words.
 */
export function foldCyrillicKeepY(word: string): string {
  if (!FOLDABLE.test(word)) return word;
  let out = '';
  for (const ch of word) {
    const f = ch === 'ы' ? ch : FOLD[ch];
    out += f === undefined ? ch : f;
  }
  return out;
}

/** The letters that exist in Kazakh Cyrillic but not in Russian. */
export const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
