/**
 * What every subword model (the `model` of tokenizer.json) provides, and helpers they share.
 */
import { objectField, TokenizerFormatError, type Json } from './json-fields.ts';

/** One vocabulary entry produced for a word. */
export interface Token {
  id: number;
  value: string;
}

export interface SubwordModel {
  readonly type: 'WordPiece' | 'Unigram' | 'BPE' | 'WordLevel';
  /** Ids for one pre-tokenized word. */
  tokenize(word: string): Token[];
  /** Id of a vocabulary entry, if it is one. */
  tokenToId(token: string): number | undefined;
}

/** Reads a `{ "token": id }` vocabulary. */
export function readVocabObject(cfg: Json, where: string): Map<string, number> {
  const vocab = objectField(cfg, 'vocab', where);
  const map = new Map<string, number>();
  for (const [token, id] of Object.entries(vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new TokenizerFormatError(`${where}.vocab[${JSON.stringify(token)}] must be a non-negative integer id`);
    }
    map.set(token, id);
  }
  return map;
}

/**
 * Remembers the tokens of recent words: real text repeats words a lot, and Viterbi or merge
 * loops are the costly part of tokenizing. Cleared wholesale when full, to bound memory.
 */
export function cachedTokenize(tokenize: (word: string) => Token[], capacity = 20_000): (word: string) => Token[] {
  const cache = new Map<string, Token[]>();
  return function tokenizeCached(word) {
    const hit = cache.get(word);
    if (hit) return hit;
    const tokens = tokenize(word);
    if (cache.size >= capacity) cache.clear();
    cache.set(word, tokens);
    return tokens;
  };
}
