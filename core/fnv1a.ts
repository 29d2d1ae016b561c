/**
 * 32-bit FNV-1a, the one stable hash of the project. What depends on it outlives a process:
 * the encoder's feature buckets are baked into every trained model, training seeds decide which
 * rows are held out, and a chat's queue partition must be the same in every worker and release.
 * So these values must never change; `test/unit/fnv1a.test.ts` pins them.
 */

/** FNV-1a's offset basis: the state before any input. */
export const FNV_OFFSET = 0x811c9dc5;

/**
 * The state after one more input unit. Callers feed UTF-16 code units (the encoder, seeds) or
 * UTF-8 bytes (partitions); FNV-1a itself only sees numbers, so both stay one function.
 * The result may be negative (int32); `>>> 0` gives the unsigned value.
 */
export function fnvAdd(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

/**
 * FNV-1a over `text`'s UTF-16 code units, as an unsigned integer; `from` continues a state
 * (a prefix already hashed, or a seed in place of the offset basis).
 */
export function fnv1a(text: string, from: number = FNV_OFFSET): number {
  let h = from;
  for (let i = 0; i < text.length; i++) h = fnvAdd(h, text.charCodeAt(i));
  return h >>> 0;
}

/** FNV-1a over bytes, as an unsigned integer. */
export function fnv1aBytes(bytes: Uint8Array, from: number = FNV_OFFSET): number {
  let h = from;
  for (const byte of bytes) h = fnvAdd(h, byte);
  return h >>> 0;
}
