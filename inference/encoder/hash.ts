/**
 * Feature hashing. FNV-1a over UTF-16 code units: the same string gives the same bucket in the
 * trainer, the runtime and any later process, with no vocabulary file to keep in sync.
 */

import { fnv1a } from '../../core/fnv1a.ts';

// The hash itself is shared with the queue's partitions and the training seeds.
export { FNV_OFFSET, fnv1a, fnvAdd } from '../../core/fnv1a.ts';

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
