/**
 * Okapi BM25 over token lists, in memory. Kömek's lexical baselines (words, character trigrams)
 * and a feature of the hybrid confidence. k1 and b are the textbook defaults.
 */

export interface Bm25Options {
  k1: number;
  b: number;
}

export const BM25_DEFAULTS: Bm25Options = { k1: 1.2, b: 0.75 };

export interface Bm25Index {
  readonly size: number;
  /** Scores of every document with at least one query term: [docIndex, score], best first. */
  search(queryTerms: readonly string[], limit: number): Array<[number, number]>;
  /** Whether the term occurs in any document (used for the query's coverage). */
  has(term: string): boolean;
}

/** A term's postings, flat: cache-friendly to walk, nothing to allocate per search. */
interface Postings {
  docs: Int32Array;
  /** The term's BM25 score in each of those documents. */
  weights: Float64Array;
}

/** Builds an index over `docs` (each a list of terms, repeats count). */
export function createBm25Index(docs: readonly (readonly string[])[], opts: Bm25Options = BM25_DEFAULTS): Bm25Index {
  const lists = new Map<string, { doc: number; tf: number }[]>();
  const lengths = new Float64Array(docs.length);
  docs.forEach((terms, doc) => {
    lengths[doc] = terms.length;
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [term, count] of tf) {
      let list = lists.get(term);
      if (!list) lists.set(term, (list = []));
      list.push({ doc, tf: count });
    }
  });
  const n = docs.length;
  const avgLen = n > 0 ? lengths.reduce((a, b) => a + b, 0) / n : 1;
  // A term's score in a document does not depend on the query: computed once here, with the
  // expression a search used to evaluate, so the sums (in query-term order) stay exactly the same.
  const postings = new Map<string, Postings>();
  for (const [term, list] of lists) {
    const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
    postings.set(term, {
      docs: Int32Array.from(list, (p) => p.doc),
      weights: Float64Array.from(list, ({ doc, tf }) => {
        const norm = tf + opts.k1 * (1 - opts.b + (opts.b * lengths[doc]!) / avgLen);
        return (idf * tf * (opts.k1 + 1)) / norm;
      }),
    });
  }
  const scores = new Float64Array(n);
  const touched = new Int32Array(n);
  return {
    size: n,
    has: (term) => postings.has(term),
    search(queryTerms, limit) {
      let touchedCount = 0;
      for (const term of new Set(queryTerms)) {
        const p = postings.get(term);
        if (!p) continue;
        const { docs: ds, weights } = p;
        for (let i = 0; i < ds.length; i++) {
          const doc = ds[i]!;
          if (scores[doc] === 0) touched[touchedCount++] = doc;
          scores[doc]! += weights[i]!;
        }
      }
      // Keep the best `limit` in a small sorted buffer instead of sorting every touched document.
      const top: Array<[number, number]> = [];
      for (let i = 0; i < touchedCount; i++) {
        const doc = touched[i]!;
        const s = scores[doc]!;
        scores[doc] = 0;
        const worst = top[top.length - 1];
        if (top.length === limit && worst && (s < worst[1] || (s === worst[1] && doc > worst[0]))) continue;
        let at = top.length;
        while (at > 0 && (top[at - 1]![1] < s || (top[at - 1]![1] === s && top[at - 1]![0] > doc))) at--;
        top.splice(at, 0, [doc, s]);
        if (top.length > limit) top.pop();
      }
      return top;
    },
  };
}

/** Character trigrams of a normalised text, with a space marking word edges. */
export function charTrigrams(normalized: string): string[] {
  const padded = ` ${normalized.replace(/\s+/g, ' ').trim()} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}
