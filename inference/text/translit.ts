/**
 * Latin → Cyrillic for Kazakh and Russian written in Latin letters: the official 2021 Kazakh
 * alphabet (ä ğ ı i ñ ö q ş ū ü ç), the 2018 acute variant (á ǵ ń ó ú ý), the 2017 apostrophe
 * variant (a' g' n' o' s' u'), and informal spellings (sh zh ch kh gh ng ya yu ts shch).
 * Kazakh and Russian need different readings of a few letters (i is і in Kazakh, и in Russian),
 * so the caller says which language the token most likely is.
 */

/** Which orthography to transliterate into. */
export type TranslitLang = 'kk' | 'ru';

/** Letters folded onto the 2021 alphabet before transliteration. */
const CANON: Record<string, string> = {
  á: 'ä', æ: 'ä', ə: 'ä', ǝ: 'ä', ǵ: 'ğ', ġ: 'ğ', ń: 'ñ', ŋ: 'ñ', ó: 'ö', ø: 'ö', ő: 'ö', œ: 'ö',
  ú: 'ü', ű: 'ü', ý: 'u', ś: 'ş', ș: 'ş', š: 'ş', č: 'ç', ć: 'ç', ž: 'j', ł: 'l', đ: 'd', ð: 'd',
  þ: 't', ħ: 'h', ŧ: 't', ß: 'ss', ÿ: 'y', ĳ: 'ij',
};
/** Letters of the 2021 alphabet that NFD would otherwise strip. */
const KEEP = new Set(['ä', 'ğ', 'ı', 'ñ', 'ö', 'ş', 'ū', 'ü', 'ç']);
const APOSTROPHE_LETTER: Record<string, string> = { a: 'ä', o: 'ö', u: 'ü', g: 'ğ', n: 'ñ', s: 'ş', c: 'ç' };
const ALPHABET = /^[a-zäğıñöşūüç']*$/;

const SIMPLE: Record<string, string> = {
  a: 'а', b: 'б', d: 'д', f: 'ф', g: 'г', h: 'х', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п',
  q: 'қ', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'у', x: 'х', z: 'з', ä: 'ә', ğ: 'ғ', ı: 'ы',
  ñ: 'ң', ö: 'ө', ş: 'ш', ū: 'ұ', ü: 'ү', ç: 'ч',
};
const IOTATED: Record<string, string> = { a: 'я', u: 'ю', o: 'е', e: 'е' };
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'ä', 'ö', 'ü', 'ū', 'ı']);
// Word-initial e is э in these (mostly international) stems, е everywhere else.
const E_AS_EH = /^e(?:lektr|kzam|ksp|konom|kolog|nerg|tazh|to$|tot|ta$|ti$|vakua|kip|ffekt|kran|tap)/;

const isVowel = (ch: string | undefined): boolean => ch !== undefined && VOWELS.has(ch);

/** Maps every letter onto the 2021 alphabet plus ASCII; undefined when a letter has no reading. */
function canonical(token: string): string | undefined {
  let out = '';
  for (const ch of token) {
    if (ch === "'" || (ch >= 'a' && ch <= 'z') || KEEP.has(ch)) {
      out += ch;
      continue;
    }
    const mapped = CANON[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (!ALPHABET.test(mapped) || mapped === '') return undefined;
    out += mapped;
  }
  // 2017 apostrophe letters: a' → ä, s' → ş …
  return out.replace(/([aougnsc])'/g, (_, l: string) => APOSTROPHE_LETTER[l] ?? l);
}

function readI(s: string, i: number, lang: TranslitLang): [string, number] {
  const next = s[i + 1];
  // kiyim → киім, tiyis → тиіс, qıyın → қиын: "iy" before i/ı is the Kazakh и.
  const after = s[i + 2];
  if (next === 'y' && (after === 'i' || after === 'ı')) {
    return ['и' + (after === 'ı' ? 'ы' : lang === 'ru' ? 'и' : 'і'), 3];
  }
  if (i > 0 && isVowel(s[i - 1])) return ['й', 1];
  if (next === 'y' || isVowel(next)) return ['и', 1];
  return [lang === 'ru' ? 'и' : 'і', 1];
}

function readY(s: string, i: number, lang: TranslitLang): [string, number] {
  const next = s[i + 1];
  const iot = next === undefined ? undefined : IOTATED[next];
  if (iot !== undefined) {
    // semya → семья: after a consonant Russian writes a soft sign before я/ю/е.
    const soft = lang === 'ru' && i > 0 && !isVowel(s[i - 1]) ? 'ь' : '';
    return [soft + iot, 2];
  }
  // baruy → баруы: in Kazakh a final "uy" after a stem is the possessive ы, not й.
  if (lang === 'kk' && s[i - 1] === 'u' && i === s.length - 1 && i >= 3) return ['ы', 1];
  return [i > 0 && isVowel(s[i - 1]) ? 'й' : 'ы', 1];
}

function readDigraph(s: string, i: number, lang: TranslitLang): [string, number] | undefined {
  const c = s[i];
  const next = s[i + 1];
  if (c === 's' && s.startsWith('shch', i)) return ['щ', 4];
  if (next === 'h') {
    if (c === 's') return ['ш', 2];
    if (c === 'z') return ['ж', 2];
    if (c === 'c') return ['ч', 2];
    if (c === 'k') return ['х', 2];
    if (c === 'g') return [lang === 'kk' ? 'ғ' : 'г', 2];
    if (c === 'p') return ['ф', 2];
  }
  // tsentr → центр, but detsad keeps its т and с
  if (c === 't' && next === 's' && (i + 2 === s.length || isVowel(s[i + 2])) && !s.startsWith('detsa', i - 2)) {
    return ['ц', 2];
  }
  // mening → менің; tenge keeps нг before a vowel
  if (c === 'n' && next === 'g' && lang === 'kk' && (i + 2 === s.length || !isVowel(s[i + 2]))) return ['ң', 2];
  return undefined;
}

function readLetter(s: string, i: number, lang: TranslitLang): [string, number] {
  const c = s[i] ?? '';
  switch (c) {
    case 'i':
      return readI(s, i, lang);
    case 'y':
      return readY(s, i, lang);
    case 'j':
      return [i === s.length - 1 && isVowel(s[i - 1]) ? 'й' : 'ж', 1];
    case 'e':
      return [i === 0 && E_AS_EH.test(s) ? 'э' : 'е', 1];
    case 'c':
      return ['eiy'.includes(s[i + 1] ?? '_') ? 'ц' : 'к', 1];
    case "'":
      return [lang === 'ru' ? 'ь' : '', 1];
    default:
      return [SIMPLE[c] ?? c, 1];
  }
}

/**
 * Transliterates one lowercase Latin-script token into Kazakh (`kk`) or Russian (`ru`) Cyrillic.
 * Returns undefined when the token holds a letter with no reading (so the caller can leave the
 * token as it was instead of producing a half-Cyrillic word).
 */
export function transliterate(token: string, lang: TranslitLang): string | undefined {
  const s = canonical(token);
  if (s === undefined) return undefined;
  let out = '';
  for (let i = 0; i < s.length; ) {
    const [text, used] = readDigraph(s, i, lang) ?? readLetter(s, i, lang);
    out += text;
    i += used;
  }
  return out;
}

const LATIN_LETTER = /\p{Script=Latin}/gu;
const CYRILLIC_LETTER = /\p{Script=Cyrillic}/gu;

/** True when the text has letters and more of them are Latin than Cyrillic. */
export function isLatinScript(text: string): boolean {
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  if (latin === 0) return false;
  const cyrillic = text.match(CYRILLIC_LETTER)?.length ?? 0;
  return latin > cyrillic;
}
