/**
 * From a model's output to one unit-length vector per text: mean of the token vectors under the
 * attention mask (what e5 and most sentence-transformers models are trained with), then L2
 * normalisation so a dot product is the cosine similarity.
 */

/** Scales `v` in place to length 1 (a zero vector stays zero). */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/**
 * Mean over positions with mask 1 of a row-major `[batch, seq, hidden]` tensor. A row with no
 * unmasked position gives a zero vector.
 */
export function meanPool(
  data: Float32Array,
  mask: ArrayLike<number>,
  batch: number,
  seq: number,
  hidden: number,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(hidden);
    let count = 0;
    for (let t = 0; t < seq; t++) {
      if (mask[b * seq + t] === 0) continue;
      count++;
      const base = (b * seq + t) * hidden;
      for (let h = 0; h < hidden; h++) v[h]! += data[base + h]!;
    }
    if (count > 0) for (let h = 0; h < hidden; h++) v[h]! /= count;
    out.push(v);
  }
  return out;
}

/** Splits a row-major `[batch, hidden]` tensor into rows (copies). */
export function rows(data: Float32Array, batch: number, hidden: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) out.push(data.slice(b * hidden, (b + 1) * hidden));
  return out;
}
