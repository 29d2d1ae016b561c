/**
 * A small seeded pseudo-random generator. Training must be reproducible for a fixed seed, so
 * nothing in the encoder uses `Math.random`.
 */
import { fnv1a } from '../../core/fnv1a.ts';

/** A deterministic random source: `next()` is uniform in [0, 1). */
export interface Rng {
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/**
 * Creates an Rng from a 32-bit seed (mulberry32: tiny, fast, good enough for sampling and
 * initialisation; not for cryptography).
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function int(n: number): number {
    return Math.floor(next() * n);
  }
  function normal(): number {
    const u = Math.max(next(), 1e-12);
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  function shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
  function pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[int(items.length)] as T;
  }
  return { next, int, normal, shuffle, pick };
}

/** Derives an independent seed for a named sub-task, so adding one random step elsewhere does not shift all others. */
export function deriveSeed(seed: number, label: string): number {
  // FNV-1a over the label, started from the seed (mixed with the golden ratio) instead of the
  // offset basis.
  return fnv1a(label, (seed ^ 0x9e3779b9) >>> 0);
}
