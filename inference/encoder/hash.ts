/**
 * Feature hashing. FNV-1a over UTF-16 code units: the same string gives the same bucket in the
 * trainer, the runtime and any later process, with no vocabulary file to keep in sync.
 */

/** 32-bit FNV-1a of `text`, as an unsigned integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Bucket of `feature` in a table of `2^bits` buckets. */
export function bucketOf(feature: string, bits: number): number {
  // Fold the high bits in: FNV's low bits alone mix worse for short keys.
  const h = fnv1a(feature);
  const mask = (1 << bits) - 1;
  return ((h ^ (h >>> bits)) & mask) >>> 0;
}
