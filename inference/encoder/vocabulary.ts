/**
 * Building and (de)serialising the vocabulary: the hashed buckets that training texts use, each
 * with its idf. Training-side code builds it; the runtime only decodes it from the model meta.
 */
import type { RawFeatures, Vocabulary } from './featurize.ts';

/**
 * Counts document frequencies over `docs` and gives every bucket used at least `minDf` times a
 * row (1-based, in order of first use so the same inputs give the same table).
 * idf = ln((N + 1) / (df + 1)) + 1, the smoothed form that never reaches zero.
 */
export function buildVocabulary(docs: Iterable<RawFeatures>, opts: { minDf?: number; always?: Iterable<RawFeatures> } = {}): Vocabulary {
  const minDf = opts.minDf ?? 1;
  const df = new Map<number, number>();
  let n = 0;
  const forced = new Set<number>();
  for (const doc of opts.always ?? []) {
    for (const b of doc.buckets) forced.add(b);
  }
  for (const doc of docs) {
    n++;
    for (const b of doc.buckets) df.set(b, (df.get(b) ?? 0) + 1);
  }
  const rows = new Map<number, number>();
  const idfValues: number[] = [0];
  for (const [bucket, count] of df) {
    if (count < minDf && !forced.has(bucket)) continue;
    rows.set(bucket, idfValues.length);
    idfValues.push(Math.log((n + 1) / (count + 1)) + 1);
  }
  for (const bucket of forced) {
    if (rows.has(bucket)) continue;
    rows.set(bucket, idfValues.length);
    idfValues.push(Math.log(n + 1) + 1);
  }
  return { rows, idf: Float32Array.from(idfValues) };
}

/** The vocabulary as it travels in the model meta (JSON): base64 of little-endian arrays. */
export interface SerializedVocabulary {
  /** Buckets in row order (row = index + 1), Int32 LE, base64. */
  buckets: string;
  /** idf per row (row = index + 1), Float32 LE, base64. */
  idf: string;
}

export function serializeVocabulary(vocab: Vocabulary): SerializedVocabulary {
  const buckets = new Int32Array(vocab.rows.size);
  for (const [bucket, row] of vocab.rows) buckets[row - 1] = bucket;
  return {
    buckets: Buffer.from(buckets.buffer, buckets.byteOffset, buckets.byteLength).toString('base64'),
    idf: Buffer.from(vocab.idf.buffer, vocab.idf.byteOffset + 4, vocab.idf.byteLength - 4).toString('base64'),
  };
}

export function deserializeVocabulary(data: SerializedVocabulary): Vocabulary {
  const bb = Buffer.from(data.buckets, 'base64');
  const ib = Buffer.from(data.idf, 'base64');
  const buckets = new Int32Array(bb.buffer.slice(bb.byteOffset, bb.byteOffset + bb.byteLength));
  const idfRows = new Float32Array(ib.buffer.slice(ib.byteOffset, ib.byteOffset + ib.byteLength));
  if (buckets.length !== idfRows.length) throw new Error('model meta: vocabulary and idf lengths differ');
  const rows = new Map<number, number>();
  for (let i = 0; i < buckets.length; i++) rows.set(buckets[i]! >>> 0, i + 1);
  const idf = new Float32Array(idfRows.length + 1);
  idf.set(idfRows, 1);
  return { rows, idf };
}
