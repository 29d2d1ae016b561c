/**
 * One entry point for the three stemmers. The language of a whole message is often known
 * (detected), but a single word can still be in another script: Latin words in a Kazakh message
 * are English or brand names, and a word with ә/ғ/қ/ң/ө/ұ/ү/һ/і is Kazakh whatever the message is.
 */
import type { Lang } from '../../core/lang.ts';
import { KAZAKH_LETTERS } from './fold.ts';
import { stemEnglish } from './stem-en.ts';
import { stemKazakh } from './stem-kk.ts';
import { stemRussian } from './stem-ru.ts';

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z\u00c0-\u024f]/;

/** Which stemmer a token needs, from its letters first and the message language second. */
export function stemLanguage(token: string, lang?: Lang): Lang | undefined {
  if (CYRILLIC.test(token)) {
    if (KAZAKH_LETTERS.test(token)) return 'kk';
    return lang === 'kk' ? 'kk' : 'ru';
  }
  if (LATIN.test(token)) return 'en';
  return undefined;
}

/**
 * Stems a normalised token (lowercase, ё→е). `lang` is the message language; when it is unknown
 * or does not fit the token's script, the script and letters decide. Numbers and other scripts
 * come back unchanged.
 */
export function stem(token: string, lang?: Lang): string {
  switch (stemLanguage(token, lang)) {
    case 'kk':
      return stemKazakh(token);
    case 'ru':
      return stemRussian(token);
    case 'en':
      return stemEnglish(token);
    default:
      return token;
  }
}
