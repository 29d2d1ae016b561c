/**
 * Cyrillic → Latin transliteration, the inverse of what the text normaliser undoes. Citizens write
 * Kazakh (and sometimes Russian) in Latin letters — the official 2021 alphabet or the informal
 * "sh/zh/q/gh" spelling of phone keyboards — so the trainer shows the model both, and the model
 * learns that the two spellings of one question are the same question.
 */

/** Which Latin spelling to produce. */
export type LatinStyle = 'official-2021' | 'informal';

const COMMON: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', з: 'z', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', ф: 'f', ъ: '', ь: '', э: 'e',
};

/** The 2021 Kazakh Latin alphabet (with the usual choices for Russian-only letters). */
const OFFICIAL_2021: Record<string, string> = {
  ...COMMON,
  ә: 'ä', ғ: 'ğ', ё: 'io', ж: 'j', и: 'i', й: 'i', і: 'ı', қ: 'q', ң: 'ñ', ө: 'ö', у: 'u',
  ұ: 'ū', ү: 'ü', х: 'h', һ: 'h', ц: 's', ч: 'ç', ш: 'ş', щ: 'şş', ы: 'y', ю: 'iu', я: 'ia',
};

/** What people type without Kazakh letters on the keyboard. */
const INFORMAL: Record<string, string> = {
  ...COMMON,
  ә: 'a', ғ: 'gh', ё: 'yo', ж: 'zh', и: 'i', й: 'i', і: 'i', қ: 'q', ң: 'ng', ө: 'o', у: 'u',
  ұ: 'u', ү: 'u', х: 'h', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh', ы: 'y', ю: 'yu', я: 'ya',
};

const TABLES: Record<LatinStyle, Record<string, string>> = {
  'official-2021': OFFICIAL_2021,
  informal: INFORMAL,
};

/**
 * Writes `text` in Latin letters. Characters outside the table (digits, punctuation, Latin) are
 * kept; the case of the first letter of each mapped character is kept.
 */
export function cyrillicToLatin(text: string, style: LatinStyle = 'informal'): string {
  const table = TABLES[style];
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = table[lower];
    if (mapped === undefined) {
      out += ch;
    } else if (lower !== ch && mapped.length > 0) {
      out += mapped[0]!.toUpperCase() + mapped.slice(1);
    } else {
      out += mapped;
    }
  }
  return out;
}
