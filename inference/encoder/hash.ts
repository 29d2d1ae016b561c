/**
 * Feature hashing. FNV-1a over UTF-16 code units: the same string gives the same bucket in the
 * trainer, the runtime and any later process, with no vocabulary file to keep in sync.
 */

/** FNV-1a's starting state. */
export const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a's state after one more UTF-16 code unit (lets callers hash text they never build). */
export function fnvAdd(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** 32-bit FNV-1a of `text`, as an unsigned integer. */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = fnvAdd(h, text.charCodeAt(i));
  return h >>> 0;
}

/** Bucket of a feature whose FNV-1a state is `h`, in a table of `2^bits` buckets. */
export function bucketOfHash(h: number, bits: number): number {
  // Fold the high bits in: FNV's low bits alone mix worse for short keys.
  h >>>= 0;
  const mask = (1 << bits) - 1;
  return ((h ^ (h >>> bits)) & mask) >>> 0;
}

/** Bucket of `feature` in a table of `2^bits` buckets. */
export function bucketOf(feature: string, bits: number): number {
  return bucketOfHash(fnv1a(feature), bits);
}
