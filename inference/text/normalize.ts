/**
 * Text normalisation shared by indexing and querying: whatever a citizen types, the same words
 * must come out. Unicode compatibility forms, invisible characters, case, ё, punctuation,
 * look-alike letters of the other script, and Latin-script Kazakh or Russian ("jeke kuälik",
 * "zheke kualik", "spravka") are all reduced to one lowercase form. English words stay English.
 */
import { assessLatinToken, STRONG_TRANSLIT, type LatinToken } from './latin-token.ts';
import { repairHomoglyphs } from './homoglyphs.ts';
import { transliterate, type TranslitLang } from './translit.ts';

export { latinToCyrillic } from './latin-token.ts';
export { isLatinScript } from './translit.ts';

/** What to do with Latin-script words. */
export type LatinHandling =
  /** Convert Kazakh and Russian written in Latin letters, keep English (the default). */
  | 'auto'
  /** Keep every Latin word as it is. */
  | 'keep'
  /** Convert every Latin word, English included (for building lookup variants). */
  | 'convert';

export interface NormalizeOptions {
  latin?: LatinHandling;
}

// Format characters (zero-width, bidi controls, Unicode tags, BOM), fillers and variation
// selectors: invisible, and used to dodge filters or split words.
const INVISIBLE =
  /[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu;
const APOSTROPHES = /[\u2018\u2019\u201b\u02bc\u02bb\u0060\u00b4\u2032\ua78c\uff07]/g;
const NOT_WORD = /[^\p{L}\p{M}\p{N}']+/gu;
// An apostrophe before a combining mark would, once deleted, glue the mark onto a letter.
const APOSTROPHE_BEFORE_MARK = /'(?=\p{M})/gu;
const LATIN_TOKEN = /^[\p{Script=Latin}']+$/u;
// ASCII plus the Russian and Kazakh alphabets; see prepareFast.
const PLAIN =
  /^[\t\n\r\x20-\x7e\u0401\u0406\u0410-\u044f\u0451\u0456\u0492\u0493\u049a\u049b\u04a2\u04a3\u04ae-\u04b1\u04ba\u04bb\u04d8\u04d9\u04e8\u04e9]*$/;
// Look-alike repair can turn Cyrillic ә into Latin ə, so ə counts as a letter here too.
const PLAIN_NOT_WORD = /[^a-z0-9\u0259\u0400-\u04ff']+/g;
/** Share of (weighted) English words above which a Latin message is taken as English. */
const ENGLISH_SHARE = 0.5;

/**
 * NFKC with apostrophes unified on both sides: "´" decomposes to a space and a mark, and "ŉ"
 * decomposes to "ʼn", so unifying only before or only after would miss one of them.
 */
function compat(text: string): string {
  return text.replace(APOSTROPHES, "'").normalize('NFKC').replace(APOSTROPHES, "'");
}

/** Lowercase and the fixes lowercasing needs: İ → i̇ → i, ё → е. */
function lower(text: string): string {
  return compat(text.toLowerCase().replace(/i\u0307+/g, 'i')).replace(/ё/g, 'е');
}

interface LatinWord {
  index: number;
  token: string;
  info: LatinToken;
}

function latinWords(tokens: string[]): LatinWord[] {
  const out: LatinWord[] = [];
  tokens.forEach((token, index) => {
    if (!LATIN_TOKEN.test(token)) return;
    const stripped = token.replace(/'/g, '');
    if (stripped !== '') out.push({ index, token, info: assessLatinToken(stripped) });
  });
  return out;
}

/**
 * Decides per word whether to convert. Decisions use only apostrophe-free tokens and the share of
 * English words among Latin words; converting only ever removes non-English words from that
 * share, so a second pass converts nothing more (normalisation is idempotent).
 */
function shouldConvert(info: LatinToken, englishMessage: boolean, mode: LatinHandling): boolean {
  if (mode === 'convert') return true;
  if (englishMessage) return !info.english && info.translit >= STRONG_TRANSLIT;
  return (!info.english || info.ambiguous) && info.translit >= 0;
}

function convertLatin(tokens: string[], mode: LatinHandling): void {
  if (mode === 'keep') return;
  const words = latinWords(tokens);
  if (words.length === 0) return;
  let english = 0;
  let kk = 0;
  let ru = 0;
  for (const { info } of words) {
    if (info.english) english += info.ambiguous ? 0.5 : 1;
    kk += info.kk;
    ru += info.ru;
  }
  const englishMessage = english >= ENGLISH_SHARE * words.length;
  const prior: TranslitLang = ru > kk ? 'ru' : 'kk';
  for (const { index, token, info } of words) {
    if (!shouldConvert(info, englishMessage, mode)) continue;
    const cyrillic = transliterate(token, info.lang ?? prior);
    if (cyrillic !== undefined) tokens[index] = cyrillic;
  }
}

/**
 * Normalises text for matching: NFKC; invisible characters removed; look-alike letters repaired;
 * lowercase; ё → е; punctuation, quotes and dashes to spaces (letters of every script and digits
 * stay); Latin-script Kazakh and Russian converted to Cyrillic while English words stay as they
 * are; single spaces. Never throws; `normalizeText(normalizeText(x)) === normalizeText(x)`.
 */
export function normalizeText(text: string, opts: NormalizeOptions = {}): string {
  if (text.length === 0) return '';
  const plain = PLAIN.test(text);
  const s = plain ? prepareFast(text) : prepare(text);
  const tokens = s
    .split(' ')
    .map((t) => (t.includes("'") ? t.replace(/^'+|'+$/g, '') : t))
    .filter((t) => t.length > 0);
  convertLatin(tokens, opts.latin ?? 'auto');
  const joined = tokens.join(' ').replace(/'/g, '');
  // Deleting apostrophes can bring together characters that compose (Hangul jamo); recompose.
  return plain ? joined : lower(joined).replace(/\s+/g, ' ').trim();
}

/** Everything before word conversion: Unicode clean-up, look-alikes, case, punctuation. */
function prepare(text: string): string {
  let s = compat(text.replace(INVISIBLE, '')).replace(APOSTROPHE_BEFORE_MARK, ' ');
  // ё/Ё → е/Е before the look-alike repair, which must see the letters the output will have.
  s = lower(repairHomoglyphs(s.replace(/ё/g, 'е').replace(/Ё/g, 'Е')));
  return s.replace(APOSTROPHE_BEFORE_MARK, ' ').replace(NOT_WORD, ' ');
}

/**
 * `prepare` for text of ASCII and the Kazakh/Russian alphabet only, the usual case: there are no
 * invisible or compatibility characters, marks or İ, so those steps would change nothing.
 */
function prepareFast(text: string): string {
  const s = repairHomoglyphs(text.replace(/`/g, "'").replace(/ё/g, 'е').replace(/Ё/g, 'Е'));
  return s.toLowerCase().replace(PLAIN_NOT_WORD, ' ');
}
