/**
 * SentencePiece's precompiled normalizer (`"type": "Precompiled"` in tokenizer.json), as used by
 * XLM-R and the multilingual e5 models. The base64 `precompiled_charsmap` holds a Darts
 * double-array trie over UTF-8 byte strings and a pool of NUL-terminated replacements; the rules
 * are SentencePiece's NFKC variant plus its own fixes. Read exactly as the `tokenizers` library
 * reads it, so a Kazakh or Russian sentence normalises to the same text the model was trained on
 * (approximating it with `String.normalize('NFKC')` would differ on many characters).
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function hasLeaf(unit: number): boolean {
  return ((unit >>> 8) & 1) === 1;
}
function valueOf(unit: number): number {
  return unit & 0x7fffffff;
}
function labelOf(unit: number): number {
  return (unit & 0x800000ff) >>> 0;
}
function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

/** A parsed charsmap: rewrites text by its rules. */
export interface Charsmap {
  normalize(text: string): string;
}

/** Parses the decoded bytes of a `precompiled_charsmap`. Throws on a malformed blob. */
export function parseCharsmap(blob: Uint8Array): Charsmap {
  if (blob.length < 4) throw new Error('precompiled_charsmap is shorter than its header');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const trieBytes = view.getUint32(0, true);
  if (trieBytes % 4 !== 0 || 4 + trieBytes > blob.length) {
    throw new Error('precompiled_charsmap trie size does not fit the data');
  }
  const units = new Uint32Array(trieBytes / 4);
  for (let i = 0; i < units.length; i++) units[i] = view.getUint32(4 + i * 4, true);
  const pool = blob.subarray(4 + trieBytes);

  /** Replacement of the shortest rule that matches a prefix of `key` (the library's choice). */
  function firstPrefixValue(key: Uint8Array): number | undefined {
    if (units.length === 0) return undefined;
    let node = offsetOf(units[0]!);
    for (const c of key) {
      if (c === 0) return undefined;
      node ^= c;
      const unit = units[node];
      if (unit === undefined || labelOf(unit) !== c) return undefined;
      node ^= offsetOf(unit);
      if (hasLeaf(unit)) {
        const leaf = units[node];
        return leaf === undefined ? undefined : valueOf(leaf);
      }
    }
    return undefined;
  }

  const replacements = new Map<number, string>();
  function replacementAt(index: number): string | undefined {
    let cached = replacements.get(index);
    if (cached !== undefined) return cached;
    if (index > pool.length) return undefined;
    let end = index;
    while (end < pool.length && pool[end] !== 0) end++;
    cached = decoder.decode(pool.subarray(index, end));
    replacements.set(index, cached);
    return cached;
  }

  function transform(chunk: string): string | undefined {
    const index = firstPrefixValue(encoder.encode(chunk));
    return index === undefined ? undefined : replacementAt(index);
  }

  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

  return {
    normalize(text: string): string {
      let out = '';
      for (const { segment } of graphemes.segment(text)) {
        // Whole grapheme first when it is short (under 6 UTF-8 bytes), else code point by code
        // point: the library's (and SentencePiece's) rule, odd as it looks.
        if (encoder.encode(segment).length < 6) {
          const whole = transform(segment);
          if (whole !== undefined) {
            out += whole;
            continue;
          }
        }
        for (const ch of segment) out += transform(ch) ?? ch;
      }
      return out;
    },
  };
}

/** Parses the base64 text of tokenizer.json's `precompiled_charsmap`. */
export function parseCharsmapBase64(base64: string): Charsmap {
  return parseCharsmap(new Uint8Array(Buffer.from(base64, 'base64')));
}
