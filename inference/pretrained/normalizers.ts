/**
 * Normalizers of tokenizer.json: how text is cleaned before it is cut into words. Each one is a
 * plain `string → string` function; offsets are not tracked because an encoder needs ids only.
 */
import { byteLevelEncode } from './byte-level.ts';
import {
  arrayField,
  boolField,
  compileRegex,
  escapeRegex,
  isObject,
  objectField,
  stringField,
  TokenizerFormatError,
  typeOf,
  unsupported,
  type Json,
} from './json-fields.ts';
import { parseCharsmapBase64 } from './precompiled-charsmap.ts';

export type Normalizer = (text: string) => string;

const identity: Normalizer = (text) => text;

/** Unicode categories `\p{C}`: the BERT cleaner drops these (tab, CR and LF excepted). */
const CONTROL = /\p{C}/u;
const WHITE_SPACE = /\p{White_Space}/u;

function isBertWhitespace(ch: string): boolean {
  return ch === '\t' || ch === '\n' || ch === '\r' || WHITE_SPACE.test(ch);
}

function isBertControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

/** CJK ideographs get spaces around them so each becomes a word (BERT's rule). */
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/**
 * Lowercasing one character at a time, as the library does. `String.toLowerCase` differs only
 * in its context rule for Greek capital sigma at the end of a word, so that case alone takes
 * the slow path.
 */
export function lowercase(text: string): string {
  if (!text.includes('\u03a3')) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += ch.toLowerCase();
  return out;
}

const NONSPACING_MARKS = /\p{Mn}/gu;
const COMBINING_MARKS = /\p{M}/gu;

function bertNormalizer(cfg: Json): Normalizer {
  const cleanText = boolField(cfg, 'clean_text', true);
  const handleChinese = boolField(cfg, 'handle_chinese_chars', true);
  const lower = boolField(cfg, 'lowercase', true);
  // `strip_accents: null` means "strip when lowercasing", as in the original BERT.
  const stripAccents = typeof cfg.strip_accents === 'boolean' ? cfg.strip_accents : lower;
  return function normalizeBert(text) {
    let out = text;
    if (cleanText) {
      let cleaned = '';
      for (const ch of out) {
        if (ch === '\u0000' || ch === '\ufffd' || isBertControl(ch)) continue;
        cleaned += isBertWhitespace(ch) ? ' ' : ch;
      }
      out = cleaned;
    }
    if (handleChinese) {
      let spaced = '';
      for (const ch of out) spaced += isChineseChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch;
      out = spaced;
    }
    if (stripAccents) out = out.normalize('NFD').replace(NONSPACING_MARKS, '');
    if (lower) out = lowercase(out);
    return out;
  };
}

function replaceNormalizer(cfg: Json, where: string): Normalizer {
  const pattern = objectField(cfg, 'pattern', where);
  const content = stringField(cfg, 'content', where);
  let re: RegExp;
  if (typeof pattern.String === 'string') re = new RegExp(escapeRegex(pattern.String), 'gu');
  else if (typeof pattern.Regex === 'string') re = compileRegex(pattern.Regex, `${where}.pattern`);
  else throw new TokenizerFormatError(`${where}.pattern must hold "String" or "Regex"`);
  // A function replacement keeps `$` in `content` literal, as in the library.
  return (text) => text.replace(re, () => content);
}

function stripNormalizer(cfg: Json): Normalizer {
  const left = boolField(cfg, 'strip_left', true);
  const right = boolField(cfg, 'strip_right', true);
  return (text) => {
    let out = text;
    if (left) out = out.replace(/^\p{White_Space}+/u, '');
    if (right) out = out.replace(/\p{White_Space}+$/u, '');
    return out;
  };
}

function precompiledNormalizer(cfg: Json, where: string): Normalizer {
  const base64 = cfg.precompiled_charsmap;
  // Some conversions write an empty charsmap: it has no rules.
  if (base64 === null || base64 === undefined || base64 === '') return identity;
  if (typeof base64 !== 'string') throw new TokenizerFormatError(`${where}.precompiled_charsmap must be base64 text`);
  try {
    const charsmap = parseCharsmapBase64(base64);
    return (text) => charsmap.normalize(text);
  } catch (err) {
    throw new TokenizerFormatError(`${where}.precompiled_charsmap: ${(err as Error).message}`);
  }
}

/** Builds the normalizer described by tokenizer.json's `normalizer` (null means none). */
export function buildNormalizer(cfg: unknown, where = 'normalizer'): Normalizer {
  if (cfg === null || cfg === undefined) return identity;
  if (!isObject(cfg)) throw new TokenizerFormatError(`${where} must be an object or null`);
  const type = typeOf(cfg, where);
  switch (type) {
    case 'Sequence': {
      const parts = arrayField(cfg, 'normalizers', where).map((c, i) => buildNormalizer(c, `${where}.normalizers[${i}]`));
      return (text) => parts.reduce((acc, n) => n(acc), text);
    }
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return (text) => text.normalize(type);
    case 'Lowercase':
      return lowercase;
    case 'Strip':
      return stripNormalizer(cfg);
    case 'StripAccents':
      return (text) => text.replace(COMBINING_MARKS, '');
    case 'Replace':
      return replaceNormalizer(cfg, where);
    case 'Prepend': {
      const prefix = stringField(cfg, 'prepend', where);
      return (text) => (text.length > 0 ? prefix + text : text);
    }
    case 'BertNormalizer':
      return bertNormalizer(cfg);
    case 'Precompiled':
      return precompiledNormalizer(cfg, where);
    case 'ByteLevel':
      return byteLevelEncode;
    default:
      throw unsupported(`${where}: normalizer type "${type}"`);
  }
}
