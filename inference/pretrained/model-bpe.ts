/**
 * BPE: a word starts as single characters, then the adjacent pair with the best (lowest) merge
 * rank is joined until no listed merge applies. Options as in the `tokenizers` library:
 * continuation prefix and end-of-word suffix, unknown token (optionally fused), byte fallback
 * (`<0xNN>`), and `ignore_merges` (a word that is itself in the vocabulary is taken whole).
 */
import { arrayField, boolField, TokenizerFormatError, type Json } from './json-fields.ts';
import { cachedTokenize, readVocabObject, type SubwordModel, type Token } from './subword-model.ts';

const utf8 = new TextEncoder();

function optionalString(cfg: Json, key: string): string | undefined {
  const v = cfg[key];
  return typeof v === 'string' ? v : undefined;
}

/** Merges are written `"a b"` (older files) or `["a", "b"]` (newer ones). */
function readMerges(cfg: Json, where: string): Array<[string, string]> {
  return arrayField(cfg, 'merges', where).map((m, i) => {
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
    if (typeof m === 'string') {
      const space = m.indexOf(' ', 1);
      if (space > 0 && m.indexOf(' ', space + 1) === -1) return [m.slice(0, space), m.slice(space + 1)];
    }
    throw new TokenizerFormatError(`${where}.merges[${i}] must be "a b" or ["a", "b"]`);
  });
}

interface Merge {
  rank: number;
  id: number;
}

export function buildBpe(cfg: Json, where: string): SubwordModel {
  const vocab = readVocabObject(cfg, where);
  const tokenOf = new Map<number, string>();
  for (const [token, id] of vocab) tokenOf.set(id, token);
  const unkToken = optionalString(cfg, 'unk_token');
  const prefix = optionalString(cfg, 'continuing_subword_prefix');
  const suffix = optionalString(cfg, 'end_of_word_suffix');
  const fuseUnk = boolField(cfg, 'fuse_unk', false);
  const byteFallback = boolField(cfg, 'byte_fallback', false);
  const ignoreMerges = boolField(cfg, 'ignore_merges', false);

  // Pair of ids → rank and id of the merged token; the key packs both ids in one number.
  const stride = Math.max(...vocab.values(), 0) + 1;
  const merges = new Map<number, Merge>();
  readMerges(cfg, where).forEach(([a, b], rank) => {
    const aId = vocab.get(a);
    const bId = vocab.get(b);
    const merged = a + (prefix && b.startsWith(prefix) ? b.slice(prefix.length) : b);
    const id = vocab.get(merged);
    if (aId === undefined || bId === undefined || id === undefined) {
      const missing = aId === undefined ? a : bId === undefined ? b : merged;
      throw new TokenizerFormatError(`${where}.merges[${rank}] uses "${missing}", which is not in the vocabulary`);
    }
    // A pair listed twice keeps its last rank, as the library's map does.
    merges.set(aId * stride + bId, { rank, id });
  });

  function unkId(): number | undefined {
    if (unkToken === undefined) return undefined;
    const id = vocab.get(unkToken);
    if (id === undefined) throw new Error(`BPE: the unk token "${unkToken}" is not in the vocabulary`);
    return id;
  }

  /** Initial symbols: one per character, or its bytes, or (fused) unknowns, or nothing. */
  function initialSymbols(word: string): number[] {
    const chars = Array.from(word);
    const symbols: number[] = [];
    let pendingUnk: number | undefined;
    chars.forEach((ch, i) => {
      let s = ch;
      if (i > 0 && prefix !== undefined) s = prefix + s;
      if (i === chars.length - 1 && suffix !== undefined) s = s + suffix;
      const id = vocab.get(s);
      if (id !== undefined) {
        if (pendingUnk !== undefined) symbols.push(pendingUnk);
        pendingUnk = undefined;
        symbols.push(id);
        return;
      }
      if (byteFallback) {
        const bytes = Array.from(utf8.encode(s), (b) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (bytes.every((b) => b !== undefined)) {
          // The library adds byte tokens without flushing a pending unknown first.
          symbols.push(...(bytes as number[]));
          return;
        }
      }
      const unk = unkId();
      if (unk === undefined) return; // no unk token: the character is dropped, as in the library
      if (pendingUnk !== undefined && !fuseUnk) symbols.push(pendingUnk);
      pendingUnk = unk;
    });
    if (pendingUnk !== undefined) symbols.push(pendingUnk);
    return symbols;
  }

  function mergeAll(symbols: number[]): number[] {
    for (;;) {
      let bestAt = -1;
      let best: Merge | undefined;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const m = merges.get(symbols[i]! * stride + symbols[i + 1]!);
        if (m && (!best || m.rank < best.rank)) {
          best = m;
          bestAt = i;
        }
      }
      if (!best) return symbols;
      symbols.splice(bestAt, 2, best.id);
    }
  }

  function tokenize(word: string): Token[] {
    if (word.length === 0) return [];
    if (ignoreMerges) {
      const id = vocab.get(word);
      if (id !== undefined) return [{ id, value: word }];
    }
    return mergeAll(initialSymbols(word)).map((id) => ({ id, value: tokenOf.get(id) ?? '' }));
  }

  return { type: 'BPE', tokenize: cachedTokenize(tokenize), tokenToId: (t) => vocab.get(t) };
}
