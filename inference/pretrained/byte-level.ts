/**
 * GPT-2's byte-level alphabet: every UTF-8 byte is shown as one printable character, so a BPE
 * vocabulary of byte strings can be stored as text. Used by the `ByteLevel` pre-tokenizer and
 * normalizer.
 */

function buildByteToChar(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  for (const b of printable) table[b] = String.fromCodePoint(b);
  // Bytes that are not printable are moved past 255, in order.
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCodePoint(256 + n++);
  }
  return table;
}

const BYTE_TO_CHAR = buildByteToChar();
const utf8 = new TextEncoder();

/** The byte-level spelling of `text` (e.g. a space becomes `Ġ`). */
export function byteLevelEncode(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b]!;
  return out;
}

/** GPT-2's word-splitting pattern, the one the `ByteLevel` pre-tokenizer applies. */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
