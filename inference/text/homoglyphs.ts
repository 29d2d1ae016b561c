/**
 * Repairs words typed with letters of the other script that look the same: "пacпopт" with Latin
 * a, c, o, p, or "ЦОH" with a Latin H, or an English word with a Cyrillic "е". Each mixed word
 * goes to the script most of its letters are in. Case matters (Latin "B" is Cyrillic "В", Latin
 * "b" is nothing), so this runs before lowercasing.
 */

// Pairs of look-alikes, Latin first. Every letter whose lowercase is in the lowercase table has
// its uppercase in the uppercase table; that keeps the repair stable under lowercasing.
const PAIRS = [
  'aа', 'cс', 'eе', 'oо', 'pр', 'xх', 'yу', 'iі', 'əә',
  'AА', 'BВ', 'CС', 'EЕ', 'HН', 'IІ', 'İІ', 'KК', 'MМ', 'OО', 'PР', 'TТ', 'XХ', 'YУ', 'ƏӘ',
];

const TO_CYRILLIC = new Map<string, string>();
const TO_LATIN = new Map<string, string>();
for (const pair of PAIRS) {
  const [latin, cyrillic] = [...pair] as [string, string];
  TO_CYRILLIC.set(latin, cyrillic);
  if (latin !== 'İ') TO_LATIN.set(cyrillic, latin);
}

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN_ALL = /\p{Script=Latin}/gu;
const CYRILLIC_ALL = /\p{Script=Cyrillic}/gu;
const WORD = /[\p{L}\p{M}']+/gu;

/** Whether every letter of `script` in the word has a look-alike in `table`. */
function allMappable(word: string, script: RegExp, table: Map<string, string>): boolean {
  for (const ch of word) if (script.test(ch) && !table.has(ch)) return false;
  return true;
}

/**
 * A word goes to the script whose letters it can fully take ("пacпopт": every Latin letter has a
 * Cyrillic twin); when both or neither can, to the script of most of its letters. Either way the
 * result has no look-alikes of the minority script left, so a second pass changes nothing.
 */
function repairWord(word: string): string {
  if (!LATIN.test(word) || !CYRILLIC.test(word)) return word;
  const toCyrillic = allMappable(word, LATIN, TO_CYRILLIC);
  const toLatin = allMappable(word, CYRILLIC, TO_LATIN);
  let cyrillicWins: boolean;
  if (toCyrillic !== toLatin) cyrillicWins = toCyrillic;
  else cyrillicWins = (word.match(CYRILLIC_ALL)?.length ?? 0) >= (word.match(LATIN_ALL)?.length ?? 0);
  const table = cyrillicWins ? TO_CYRILLIC : TO_LATIN;
  let out = '';
  for (const ch of word) out += table.get(ch) ?? ch;
  return out;
}

/** Moves look-alike letters of mixed Latin/Cyrillic words to the word's majority script. */
export function repairHomoglyphs(text: string): string {
  if (!LATIN.test(text) || !CYRILLIC.test(text)) return text;
  return text.replace(WORD, repairWord);
}
