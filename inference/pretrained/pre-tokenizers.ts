/**
 * Pre-tokenizers of tokenizer.json: how normalised text is cut into words before the subword
 * model sees it. Each takes and returns a list of pieces.
 */
import { byteLevelEncode, GPT2_SPLIT } from './byte-level.ts';
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
import { charMatcher, parseBehavior, regexMatcher, splitPiece, type Matcher, type Piece, type SplitBehavior } from './text-split.ts';

export type PreTokenizer = (pieces: Piece[]) => Piece[];

const WHITE_SPACE = /^\p{White_Space}$/u;
const UNICODE_PUNCTUATION = /^\p{P}$/u;
const NUMERIC = /^\p{N}$/u;
const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** Rust's `char::is_whitespace`: the Unicode White_Space property. */
export function isWhitespace(ch: string): boolean {
  return WHITE_SPACE.test(ch);
}

/** The library's punctuation test: ASCII punctuation (which includes `$+<=>^`|~`) or `\p{P}`. */
export function isPunctuation(ch: string): boolean {
  return ASCII_PUNCTUATION.has(ch) || UNICODE_PUNCTUATION.test(ch);
}

// Rust regex's Unicode `\w`: letters, marks, decimal digits, connector punctuation, joiners.
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const WHITESPACE_WORDS = new RegExp(`[${WORD}]+|[^${WORD}\\p{White_Space}]+`, 'gu');

function splitEach(matcher: Matcher, behavior: SplitBehavior, invert = false): PreTokenizer {
  return (pieces) => pieces.flatMap((p) => splitPiece(p, matcher, behavior, invert));
}

const whitespaceSplit = splitEach(charMatcher(isWhitespace), 'Removed');
const punctuationIsolated = splitEach(charMatcher(isPunctuation), 'Isolated');

type PrependScheme = 'always' | 'never' | 'first';

function prependSchemeOf(cfg: Json, where: string): PrependScheme {
  const scheme = cfg.prepend_scheme;
  if (scheme === 'always' || scheme === 'never' || scheme === 'first') return scheme;
  if (scheme !== undefined && scheme !== null) {
    throw new TokenizerFormatError(`${where}.prepend_scheme must be "always", "never" or "first"`);
  }
  // Files written before `prepend_scheme` existed say `add_prefix_space`.
  return boolField(cfg, 'add_prefix_space', true) ? 'always' : 'never';
}

function metaspace(cfg: Json, where: string): PreTokenizer {
  const replacement = stringField(cfg, 'replacement', where, '\u2581');
  if ([...replacement].length !== 1) throw new TokenizerFormatError(`${where}.replacement must be one character`);
  const scheme = prependSchemeOf(cfg, where);
  const split = boolField(cfg, 'split', true);
  const matcher = charMatcher((ch) => ch === replacement);
  return (pieces) =>
    pieces.flatMap((piece) => {
      let text = piece.text.replaceAll(' ', replacement);
      const prepend = scheme === 'always' || (scheme === 'first' && piece.atStart);
      if (prepend && text.length > 0 && !text.startsWith(replacement)) text = replacement + text;
      const rewritten = { text, atStart: piece.atStart };
      return split ? splitPiece(rewritten, matcher, 'MergedWithNext') : [rewritten];
    });
}

function byteLevel(cfg: Json): PreTokenizer {
  const addPrefixSpace = boolField(cfg, 'add_prefix_space', true);
  const useRegex = boolField(cfg, 'use_regex', true);
  const gpt2 = regexMatcher(GPT2_SPLIT);
  return (pieces) =>
    pieces.flatMap((piece) => {
      let text = piece.text;
      if (addPrefixSpace && text.length > 0 && !text.startsWith(' ')) text = ` ${text}`;
      const words = useRegex ? splitPiece({ text, atStart: piece.atStart }, gpt2, 'Isolated') : [{ text, atStart: piece.atStart }];
      return words.map((w) => ({ text: byteLevelEncode(w.text), atStart: w.atStart }));
    });
}

function splitPreTokenizer(cfg: Json, where: string): PreTokenizer {
  const pattern = objectField(cfg, 'pattern', where);
  let re: RegExp;
  if (typeof pattern.String === 'string') re = new RegExp(escapeRegex(pattern.String), 'gu');
  else if (typeof pattern.Regex === 'string') re = compileRegex(pattern.Regex, `${where}.pattern`);
  else throw new TokenizerFormatError(`${where}.pattern must hold "String" or "Regex"`);
  const behavior = parseBehaviorAt(cfg.behavior, 'Removed', where);
  return splitEach(regexMatcher(re), behavior, boolField(cfg, 'invert', false));
}

function parseBehaviorAt(value: unknown, fallback: SplitBehavior, where: string): SplitBehavior {
  try {
    return parseBehavior(value, fallback);
  } catch (err) {
    throw new TokenizerFormatError(`${where}.behavior: ${(err as Error).message}`);
  }
}

/** Builds the pre-tokenizer described by tokenizer.json's `pre_tokenizer` (null means none). */
export function buildPreTokenizer(cfg: unknown, where = 'pre_tokenizer'): PreTokenizer {
  if (cfg === null || cfg === undefined) return (pieces) => pieces;
  if (!isObject(cfg)) throw new TokenizerFormatError(`${where} must be an object or null`);
  const type = typeOf(cfg, where);
  switch (type) {
    case 'Sequence': {
      const steps = arrayField(cfg, 'pretokenizers', where).map((c, i) => buildPreTokenizer(c, `${where}.pretokenizers[${i}]`));
      return (pieces) => steps.reduce((acc, step) => step(acc), pieces);
    }
    case 'Whitespace':
      return splitEach(regexMatcher(WHITESPACE_WORDS), 'Removed', true);
    case 'WhitespaceSplit':
      return whitespaceSplit;
    case 'BertPreTokenizer':
      return (pieces) => punctuationIsolated(whitespaceSplit(pieces));
    case 'Punctuation':
      return splitEach(charMatcher(isPunctuation), parseBehaviorAt(cfg.behavior, 'Isolated', where));
    case 'Metaspace':
      return metaspace(cfg, where);
    case 'ByteLevel':
      return byteLevel(cfg);
    case 'Split':
      return splitPreTokenizer(cfg, where);
    case 'Digits':
      return splitEach(
        charMatcher((ch) => NUMERIC.test(ch)),
        boolField(cfg, 'individual_digits', false) ? 'Isolated' : 'Contiguous',
      );
    case 'CharDelimiterSplit': {
      const delimiter = stringField(cfg, 'delimiter', where);
      return splitEach(charMatcher((ch) => ch === delimiter), 'Removed');
    }
    default:
      throw unsupported(`${where}: pre-tokenizer type "${type}"`);
  }
}
