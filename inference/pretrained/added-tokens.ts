/**
 * Added tokens (`added_tokens` of tokenizer.json): strings such as `<s>`, `[SEP]` or `<mask>`
 * that are matched whole in the input and never cut by the subword model. As in the library,
 * tokens marked `normalized: false` are found in the raw text, the others in normalised text.
 */
import { escapeRegex, isObject, TokenizerFormatError } from './json-fields.ts';
import type { Piece } from './text-split.ts';

export interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A stretch of text still to tokenize, or an added token already found. */
export type Part = { piece: Piece } | { added: AddedToken };

export function readAddedTokens(value: unknown): AddedToken[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TokenizerFormatError('added_tokens must be an array');
  return value.map((t, i) => {
    if (!isObject(t) || typeof t.id !== 'number' || typeof t.content !== 'string' || t.content === '') {
      throw new TokenizerFormatError(`added_tokens[${i}] must have a numeric id and non-empty content`);
    }
    const special = t.special === true;
    return {
      id: t.id,
      content: t.content,
      singleWord: t.single_word === true,
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      normalized: typeof t.normalized === 'boolean' ? t.normalized : !special,
      special,
    };
  });
}

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const SPACE = /\p{White_Space}/u;

/** Finds added tokens in a piece, leftmost first and the longest at a position. */
export interface AddedTokenSplitter {
  split(piece: Piece): Part[];
}

export function addedTokenSplitter(tokens: AddedToken[]): AddedTokenSplitter {
  if (tokens.length === 0) return { split: (piece) => [{ piece }] };
  const byContent = new Map(tokens.map((t) => [t.content, t]));
  const sorted = [...byContent.keys()].sort((a, b) => b.length - a.length);
  const re = new RegExp(sorted.map(escapeRegex).join('|'), 'gu');

  return {
    split(piece) {
      const text = piece.text;
      const parts: Part[] = [];
      let last = 0;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const token = byContent.get(m[0])!;
        let start = m.index;
        let end = start + m[0].length;
        if (token.singleWord) {
          const before = start > 0 && WORD_CHAR.test(String.fromCodePoint(text.codePointAt(start - 1)!));
          const after = end < text.length && WORD_CHAR.test(String.fromCodePoint(text.codePointAt(end)!));
          if (before || after) {
            re.lastIndex = start + 1;
            continue;
          }
        }
        if (token.lstrip) while (start > last && SPACE.test(text[start - 1]!)) start--;
        if (token.rstrip) while (end < text.length && SPACE.test(text[end]!)) end++;
        if (start > last) parts.push({ piece: { text: text.slice(last, start), atStart: piece.atStart && last === 0 } });
        parts.push({ added: token });
        last = end;
        re.lastIndex = end;
      }
      if (last < text.length) parts.push({ piece: { text: text.slice(last), atStart: piece.atStart && last === 0 } });
      return parts;
    },
  };
}
