/**
 * Unigram (SentencePiece; XLM-R and the multilingual e5 models): the segmentation of a word
 * with the highest total log-probability, found by Viterbi over the vocabulary scores. Follows
 * the `tokenizers` library: a character no piece covers gets the unknown id with score
 * `min score - 10`, adjacent unknowns are fused into one token, and optional byte fallback
 * spells an unknown as `<0xNN>` byte tokens.
 */
import { arrayField, boolField, TokenizerFormatError, type Json } from './json-fields.ts';
import { cachedTokenize, type SubwordModel, type Token } from './subword-model.ts';

const UNK_PENALTY = 10;
const utf8 = new TextEncoder();

function readVocab(cfg: Json, where: string): Array<[string, number]> {
  return arrayField(cfg, 'vocab', where).map((entry, i) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
      throw new TokenizerFormatError(`${where}.vocab[${i}] must be a [piece, score] pair`);
    }
    return [entry[0], entry[1]];
  });
}

export function buildUnigram(cfg: Json, where: string): SubwordModel {
  const vocab = readVocab(cfg, where);
  if (vocab.length === 0) throw new TokenizerFormatError(`${where}.vocab is empty`);
  const unkId = typeof cfg.unk_id === 'number' ? cfg.unk_id : undefined;
  if (unkId !== undefined && (unkId < 0 || unkId >= vocab.length)) {
    throw new TokenizerFormatError(`${where}.unk_id ${unkId} is outside the vocabulary`);
  }
  const byteFallback = boolField(cfg, 'byte_fallback', false);

  const ids = new Map<string, number>();
  let minScore = Infinity;
  let maxPieceChars = 0;
  vocab.forEach(([piece, score], id) => {
    ids.set(piece, id); // a repeated piece keeps its last id, as in the library
    if (score < minScore) minScore = score;
    const chars = Array.from(piece).length;
    if (chars > maxPieceChars) maxPieceChars = chars;
  });
  const unkScore = minScore - UNK_PENALTY;

  function requireUnk(): number {
    if (unkId === undefined) throw new Error('Unigram: a character is not in the vocabulary and there is no unk_id');
    return unkId;
  }

  /** Best segmentation of `word` into strings (unknown stretches fused), by Viterbi. */
  function segment(word: string): string[] {
    const chars = Array.from(word);
    const n = chars.length;
    const best = new Float64Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const idAt = new Int32Array(n + 1);
    for (let start = 0; start < n; start++) {
      const base = best[start]!;
      let piece = '';
      let hasSingle = false;
      const longest = Math.min(maxPieceChars, n - start);
      for (let len = 1; len <= longest; len++) {
        piece += chars[start + len - 1];
        const id = ids.get(piece);
        if (id === undefined) continue;
        if (len === 1) hasSingle = true;
        const end = start + len;
        const score = base + vocab[id]![1];
        // Strictly better only: on a tie the path found first (longer last piece) stays.
        if (from[end] === -1 || score > best[end]!) {
          best[end] = score;
          from[end] = start;
          idAt[end] = id;
        }
      }
      if (!hasSingle) {
        const end = start + 1;
        const score = base + unkScore;
        if (from[end] === -1 || score > best[end]!) {
          best[end] = score;
          from[end] = start;
          idAt[end] = requireUnk();
        }
      }
    }
    const pieces: string[] = [];
    let unknown = '';
    for (let end = n; end > 0; ) {
      const start = from[end]!;
      const text = chars.slice(start, end).join('');
      if (unkId !== undefined && idAt[end] === unkId) {
        unknown = text + unknown;
      } else {
        if (unknown) pieces.push(unknown);
        unknown = '';
        pieces.push(text);
      }
      end = start;
    }
    if (unknown) pieces.push(unknown);
    return pieces.reverse();
  }

  function byteTokens(piece: string): Token[] | undefined {
    const out: Token[] = [];
    for (const b of utf8.encode(piece)) {
      const value = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
      const id = ids.get(value);
      if (id === undefined) return undefined;
      out.push({ id, value });
    }
    return out;
  }

  function tokenize(word: string): Token[] {
    if (word.length === 0) return [];
    const out: Token[] = [];
    for (const piece of segment(word)) {
      const id = ids.get(piece);
      if (id !== undefined) {
        out.push({ id, value: piece });
        continue;
      }
      const bytes = byteFallback ? byteTokens(piece) : undefined;
      if (bytes) out.push(...bytes);
      else out.push({ id: requireUnk(), value: piece });
    }
    return out;
  }

  return { type: 'Unigram', tokenize: cachedTokenize(tokenize), tokenToId: (t) => ids.get(t) };
}
