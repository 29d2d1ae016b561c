/**
 * The in-memory dense index of one worker: every knowledge-base text's vector in one matrix.
 * An entry's similarity to a query is the best over its texts — in the query's language, and
 * over all languages as the cross-language fallback (an entry written only in Russian still
 * answers a Kazakh question).
 */
import { LANGS, type Lang } from '../../core/lang.ts';

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
  search(query: Float32Array, lang: Lang | undefined, limit: number, include?: readonly string[]): DenseHit[];
}

export function createDenseIndex(rows: readonly IndexedVector[], dim: number): DenseIndex {
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
  const same = new Float32Array(entryIds.length);
  const any = new Float32Array(entryIds.length);

  function scan(query: Float32Array, lang: Lang | undefined): void {
    const li = lang ? LANGS.indexOf(lang) : -1;
    same.fill(-1);
    any.fill(-1);
    for (let t = 0; t < rows.length; t++) {
      let s = 0;
      const base = t * dim;
      for (let d = 0; d < dim; d++) s += matrix[base + d]! * query[d]!;
      const e = entryOf[t]!;
      if (s > any[e]!) any[e] = s;
      if (langOf[t] === li && s > same[e]!) same[e] = s;
    }
  }

  function hit(e: number): DenseHit {
    return { faqId: entryIds[e]!, same: same[e]!, any: any[e]! };
  }

  return {
    dim,
    entryIds,
    textCount: rows.length,
    search(query, lang, limit, include = []) {
      scan(query, lang);
      // Keep the best `limit` with a small sorted buffer: limit is tiny next to the entries.
      const top: number[] = [];
      for (let e = 0; e < entryIds.length; e++) {
        const s = any[e]!;
        if (top.length === limit && s <= any[top[top.length - 1]!]!) continue;
        let at = top.length;
        while (at > 0 && any[top[at - 1]!]! < s) at--;
        top.splice(at, 0, e);
        if (top.length > limit) top.pop();
      }
      const out = top.map(hit);
      const seen = new Set(top);
      for (const id of include) {
        const e = entryIndex.get(id);
        if (e === undefined || seen.has(e)) continue;
        seen.add(e);
        out.push(hit(e));
      }
      return out;
    },
  };
}
