/**
 * The in-memory dense index of one worker: every knowledge-base text's vector in one matrix.
 * An entry's similarity to a query is the best over its texts — in the query's language, and
 * over all languages as the cross-language fallback (an entry written only in Russian still
 * answers a Kazakh question).
 */
import { LANGS, type Lang } from '../../core/lang.ts';
import { createDotScanner, type DotScanner } from './dot-scan.ts';
import { createSimilaritySession, type SimilaritySession } from './similarity-session.ts';

export interface IndexedVector {
  faqId: string;
  lang: Lang;
  vector: Float32Array;
}

export interface DenseHit {
  faqId: string;
  /** Best cosine over the entry's texts in the query language; -1 when it has none. */
  same: number;
  /** Best cosine over all the entry's texts. */
  any: number;
}

export interface DenseIndex {
  readonly dim: number;
  readonly entryIds: readonly string[];
  readonly textCount: number;
  /**
   * Entries ranked by `any`, at most `limit`, followed by any of `include` not among them (so
   * candidates found only lexically get their dense features from the same scan).
   */
  search(query: Float32Array, lang: Lang | undefined, limit: number, include?: readonly string[]): Promise<DenseHit[]>;
  /**
   * The best similarity over all texts: `any` of `search(query, undefined, 1)[0]` without the
   * per-entry pass (-1 when no text scores above -1).
   */
  best(query: Float32Array): Promise<number>;
  /** Releases the onnxruntime session of a large index; idempotent. */
  close(): Promise<void>;
}

/**
 * Above this many stored values (texts × dim) the scan runs in onnxruntime; below it the loop of
 * dot-scan.ts is faster than a session call. Measured on synthetic entries (128 dims, per-entry
 * pass included): 50,000 texts 2.2 ms per search with onnxruntime, 3.9 ms with the SIMD loop,
 * 19.8 ms with the JavaScript loop; 8,192 texts (this threshold) 0.57, 0.71 and 3.5 ms.
 */
export const ONNX_SCAN_MIN_VALUES = 1 << 20;

export interface DenseIndexOptions {
  /** Stored values (texts × dim) from which the scan runs in onnxruntime (default ONNX_SCAN_MIN_VALUES). */
  onnxMinValues?: number;
  /** Below that, use the WebAssembly SIMD scan when available (default true; dot-scan.ts). */
  simd?: boolean;
}

export async function createDenseIndex(rows: readonly IndexedVector[], dim: number, opts: DenseIndexOptions = {}): Promise<DenseIndex> {
  const entryIds: string[] = [];
  const entryIndex = new Map<string, number>();
  const matrix = new Float32Array(rows.length * dim);
  const entryOf = new Int32Array(rows.length);
  const langOf = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    if (r.vector.length !== dim) throw new Error(`vector of ${r.faqId}/${r.lang} has ${r.vector.length} values, index expects ${dim}`);
    let e = entryIndex.get(r.faqId);
    if (e === undefined) {
      e = entryIds.length;
      entryIndex.set(r.faqId, e);
      entryIds.push(r.faqId);
    }
    matrix.set(r.vector, i * dim);
    entryOf[i] = e;
    langOf[i] = LANGS.indexOf(r.lang);
  });
  const session: SimilaritySession | null =
    rows.length > 0 && rows.length * dim >= (opts.onnxMinValues ?? ONNX_SCAN_MIN_VALUES) ? await createSimilaritySession(matrix, rows.length, dim) : null;
  // The scanner reuses its result buffer: a search uses the similarities before any await.
  const scanner: DotScanner | null = session ? null : createDotScanner(matrix, rows.length, dim, { simd: opts.simd });

  /**
   * Per-entry best scores and the top entries, computed synchronously from `s`: concurrent
   * searches (the scorer runs many at once) each get their own arrays.
   */
  function rank(s: Float32Array, lang: Lang | undefined, limit: number, include: readonly string[]): DenseHit[] {
    const li = lang ? LANGS.indexOf(lang) : -1;
    const same = new Float32Array(entryIds.length).fill(-1);
    const any = new Float32Array(entryIds.length).fill(-1);
    for (let t = 0; t < rows.length; t++) {
      const v = s[t]!;
      const e = entryOf[t]!;
      if (v > any[e]!) any[e] = v;
      if (langOf[t] === li && v > same[e]!) same[e] = v;
    }
    // Keep the best `limit` with a small sorted buffer: limit is tiny next to the entries.
    const top: number[] = [];
    for (let e = 0; e < entryIds.length; e++) {
      const v = any[e]!;
      if (top.length === limit && v <= any[top[top.length - 1]!]!) continue;
      let at = top.length;
      while (at > 0 && any[top[at - 1]!]! < v) at--;
      top.splice(at, 0, e);
      if (top.length > limit) top.pop();
    }
    const hit = (e: number): DenseHit => ({ faqId: entryIds[e]!, same: same[e]!, any: any[e]! });
    const out = top.map(hit);
    const seen = new Set(top);
    for (const id of include) {
      const e = entryIndex.get(id);
      if (e === undefined || seen.has(e)) continue;
      seen.add(e);
      out.push(hit(e));
    }
    return out;
  }

  return {
    dim,
    entryIds,
    textCount: rows.length,
    async search(query, lang, limit, include = []) {
      return rank(session ? await session.scores(query) : scanner!.scan(query), lang, limit, include);
    },
    async best(query) {
      const s = session ? await session.scores(query) : scanner!.scan(query);
      // Same start and comparison as rank's `any`, so the value (and NaN handling) is the same.
      let top = -1;
      for (let t = 0; t < s.length; t++) if (s[t]! > top) top = s[t]!;
      return top;
    },
    close: async () => {
      await session?.close();
    },
  };
}
