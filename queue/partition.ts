/**
 * Chats are spread over a fixed number of ordered partitions. Each partition is handled by one
 * job at a time, so a chat's messages keep their order while other partitions run in parallel.
 */

import { fnv1aBytes } from '../core/fnv1a.ts';

const utf8 = new TextEncoder();

/** The partition (0..count-1) that owns `key`. */
export function partitionOf(key: string, count: number): number {
  // Over UTF-8 bytes, as it always was: partitions of queued jobs must not move between releases.
  return fnv1aBytes(utf8.encode(key)) % count;
}
