/**
 * Text → sparse weighted features, the encoder's only input. Character n-grams of each word
 * survive Kazakh and Russian suffixes and typos; stems tie inflected forms together; concept ids
 * from the lexicon tie synonyms and abbreviations (ЦОН/ХҚКО/CON) together across languages.
 * Every feature is hashed, then mapped to a row of the embedding table learned in training;
 * features never seen in training are dropped rather than sent to an untrained row.
 */
import type { Lang } from '../../core/lang.ts';
import { bucketOfHash, FNV_OFFSET, fnv1a, fnvAdd } from './hash.ts';

/** What `inference/text`'s `analyze()` returns; the featurizer needs nothing else. */
export interface Analysis {
  normalized: string;
  tokens: string[];
  stems: string[];
  concepts: string[];
}

export type Analyzer = (text: string, lang?: Lang) => Analysis;

/** Featurizer parameters, stored in the model meta so the runtime reproduces training exactly. */
export interface FeaturizerParams {
  /** Hash space: 2^bits buckets before mapping to rows. */
  bits: number;
  ngramMin: number;
  ngramMax: number;
  /** Adds stem bigrams as features ("растау мекенжай"). */
  bigrams: boolean;
}

export const DEFAULT_FEATURIZER_PARAMS: FeaturizerParams = {
  bits: 22,
  ngramMin: 3,
  ngramMax: 5,
  bigrams: true,
};

/** The three feature families; each family gets the same share of a text's weight mass. */
export const FAMILIES = ['ngram', 'word', 'concept'] as const;
export type Family = (typeof FAMILIES)[number];

/** A text's features before the row mapping: hashed bucket with its term frequency and family. */
export interface RawFeatures {
  buckets: number[];
  counts: number[];
  families: Family[];
}

/** One text's encoder input: embedding rows (≥1; row 0 is padding) and their weights. */
export interface Features {
  ids: Int32Array;
  weights: Float32Array;
}

/** A padded batch: `batch × length`, row-major, padding has id 0 and weight 0. */
export interface FeatureBatch {
  ids: Int32Array;
  weights: Float32Array;
  batch: number;
  length: number;
}

const CODE = { g: 0x67, w: 0x77, b: 0x62, c: 0x63, space: 0x20, lt: 0x3c, gt: 0x3e } as const;


/**
 * Hashes the features of an analysed text, counting repeats. The features are the strings
 * `g<n-gram of "<token>">`, `w<stem>`, `b<stem> <next stem>` and `c<concept>`; they are hashed
 * code unit by code unit as they would be read, without building them (a question has a few
 * hundred), so the buckets are exactly those of hashing the strings.
 */
export function rawFeatures(analysis: Analysis, params: FeaturizerParams): RawFeatures {
  const index = new Map<number, number>();
  const out: RawFeatures = { buckets: [], counts: [], families: [] };
  const add = (h: number, family: Family): void => {
    const b = bucketOfHash(h, params.bits);
    const at = index.get(b);
    if (at === undefined) {
      index.set(b, out.buckets.length);
      out.buckets.push(b);
      out.counts.push(1);
      out.families.push(family);
    } else {
      out.counts[at]! += 1;
    }
  };
  const g = fnvAdd(FNV_OFFSET, CODE.g);
  const marked: number[] = [];
  for (const token of analysis.tokens) {
    // The code units of `<token>`.
    marked.length = 0;
    marked.push(CODE.lt);
    for (let i = 0; i < token.length; i++) marked.push(token.charCodeAt(i));
    marked.push(CODE.gt);
    for (let n = params.ngramMin; n <= params.ngramMax; n++) {
      for (let i = 0; i + n <= marked.length; i++) {
        let h = g;
        for (let j = i; j < i + n; j++) h = fnvAdd(h, marked[j]!);
        add(h, 'ngram');
      }
    }
    if (marked.length < params.ngramMin) {
      let h = g;
      for (const code of marked) h = fnvAdd(h, code);
      add(h, 'ngram');
    }
  }
  const w = fnvAdd(FNV_OFFSET, CODE.w);
  for (const stem of analysis.stems) add(fnv1a(stem, w), 'word');
  if (params.bigrams) {
    const b = fnvAdd(FNV_OFFSET, CODE.b);
    for (let i = 0; i + 1 < analysis.stems.length; i++) {
      add(fnv1a(analysis.stems[i + 1]!, fnvAdd(fnv1a(analysis.stems[i]!, b), CODE.space)), 'word');
    }
  }
  const c = fnvAdd(FNV_OFFSET, CODE.c);
  for (const concept of analysis.concepts) add(fnv1a(concept, c), 'concept');
  return out;
}

/**
 * The learned part of featurization: which buckets have rows (the vocabulary) and each row's
 * inverse document frequency.
 */
export interface Vocabulary {
  /** Bucket → row (1-based; 0 is padding). */
  rows: Map<number, number>;
  /** idf per row (index 0 unused). */
  idf: Float32Array;
}

/**
 * Turns hashed features into rows and weights: sublinear tf × idf, then each family scaled to
 * unit L2 mass so that the ~200 n-grams of a sentence do not drown its 2 concepts.
 */
export function toFeatures(raw: RawFeatures, vocab: Vocabulary): Features {
  const ids: number[] = [];
  const weights: number[] = [];
  const families: Family[] = [];
  const mass: Record<Family, number> = { ngram: 0, word: 0, concept: 0 };
  for (let i = 0; i < raw.buckets.length; i++) {
    const row = vocab.rows.get(raw.buckets[i]!);
    if (row === undefined) continue;
    const w = (1 + Math.log(raw.counts[i]!)) * vocab.idf[row]!;
    const family = raw.families[i]!;
    ids.push(row);
    weights.push(w);
    families.push(family);
    mass[family] += w * w;
  }
  const out: Features = { ids: new Int32Array(ids), weights: new Float32Array(ids.length) };
  for (let i = 0; i < ids.length; i++) {
    const m = mass[families[i]!];
    out.weights[i] = m > 0 ? weights[i]! / Math.sqrt(m) : 0;
  }
  return out;
}

/** Pads a list of feature sets into one batch (length ≥ 1 so empty texts still have a slot). */
export function padBatch(items: readonly Features[]): FeatureBatch {
  let length = 1;
  for (const f of items) length = Math.max(length, f.ids.length);
  const ids = new Int32Array(items.length * length);
  const weights = new Float32Array(items.length * length);
  items.forEach((f, b) => {
    ids.set(f.ids, b * length);
    weights.set(f.weights, b * length);
  });
  return { ids, weights, batch: items.length, length };
}

/** Featurizes texts with a fixed analyser, parameters and vocabulary. */
export interface Featurizer {
  readonly params: FeaturizerParams;
  featurize(text: string, lang?: Lang): Features;
}

export function createFeaturizer(analyzer: Analyzer, params: FeaturizerParams, vocab: Vocabulary): Featurizer {
  return {
    params,
    featurize: function featurize(text, lang) {
      return toFeatures(rawFeatures(analyzer(text, lang), params), vocab);
    },
  };
}
