/**
 * Chats are spread over a fixed number of ordered partitions. Each partition is handled by one
 * job at a time, so a chat's messages keep their order while other partitions run in parallel.
 */

/** FNV-1a: stable across processes and versions, which `partitionOf` must be. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The partition (0..count-1) that owns `key`. */
export function partitionOf(key: string, count: number): number {
  return fnv1a(key) % count;
}
