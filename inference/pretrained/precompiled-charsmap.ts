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

/**
 * Characters that can join a neighbour into one grapheme cluster: marks and other extenders,
 * ZWJ, spacing marks, prepended marks, CR (of CR LF), Hangul jamo and syllables, regional
 * indicators and emoji. Text without any of them needs no grapheme segmentation, which is by
 * far the slowest step otherwise.
 */
const MAY_CLUSTER = new RegExp(
  '[\\p{Grapheme_Extend}\\p{Mc}\\u200c\\u200d\\r\\u0e33\\u0eb3\\u0600-\\u0605\\u06dd\\u070f\\u0890\\u0891' +
    '\\u08e2\\u0d4e\\u1100-\\u11ff\\ua960-\\ua97f\\uac00-\\ud7a3\\ud7b0-\\ud7ff\\p{Regional_Indicator}' +
    '\\p{Extended_Pictographic}\\u{110bd}\\u{110cd}\\u{111c2}\\u{111c3}\\u{1193f}\\u{11941}\\u{11a3a}' +
    '\\u{11a84}-\\u{11a89}\\u{11d46}\\u{11f02}]',
  'u',
);

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

  // Reused for every lookup: a charsmap runs over every character of every text.
  let scratch = new Uint8Array(64);
  function transform(chunk: string): string | undefined {
    if (chunk.length * 3 > scratch.length) scratch = new Uint8Array(chunk.length * 3);
    const { written } = encoder.encodeInto(chunk, scratch);
    const index = firstPrefixValue(scratch.subarray(0, written));
    return index === undefined ? undefined : replacementAt(index);
  }

  // One code point always normalises the same way; the set of them in real text is small.
  const byCodePoint = new Map<number, string>();
  function mapChar(ch: string): string {
    const cp = ch.codePointAt(0)!;
    let out = byCodePoint.get(cp);
    if (out === undefined) {
      out = transform(ch) ?? ch;
      byCodePoint.set(cp, out);
    }
    return out;
  }

  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

  function normalizeGraphemes(text: string): string {
    let out = '';
    for (const { segment } of graphemes.segment(text)) {
      const cp = segment.codePointAt(0)!;
      if (segment.length === (cp > 0xffff ? 2 : 1)) {
        out += mapChar(segment);
        continue;
      }
      // Whole grapheme first when it is short (under 6 UTF-8 bytes), else code point by code
      // point: the library's (and SentencePiece's) rule, odd as it looks.
      if (encoder.encode(segment).length < 6) {
        const whole = transform(segment);
        if (whole !== undefined) {
          out += whole;
          continue;
        }
      }
      for (const ch of segment) out += mapChar(ch);
    }
    return out;
  }

  return {
    normalize(text: string): string {
      if (MAY_CLUSTER.test(text)) return normalizeGraphemes(text);
      // Every code point is a grapheme of its own here, so segmenting would change nothing.
      let out = '';
      for (const ch of text) out += mapChar(ch);
      return out;
    },
  };
}

/** Parses the base64 text of tokenizer.json's `precompiled_charsmap`. */
export function parseCharsmapBase64(base64: string): Charsmap {
  return parseCharsmap(new Uint8Array(Buffer.from(base64, 'base64')));
}
