/**
 * From a model's output to one unit-length vector per text: pooling of the token vectors under
 * the attention mask — the mean by default (what e5 and most sentence-transformers models are
 * trained with), or the first token (BGE), the maximum, or the last token — then L2
 * normalisation so a dot product is the cosine similarity.
 */

/** How token vectors become one vector; the model's training decides, not a taste. */
export type Pooling = 'mean' | 'cls' | 'max' | 'lasttoken';

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

/**
 * One position's vector per row: the first unmasked position (`cls`) or the last one
 * (`lasttoken`). A row with no unmasked position gives a zero vector.
 */
function pickPool(data: Float32Array, mask: ArrayLike<number>, batch: number, seq: number, hidden: number, last: boolean): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    let at = -1;
    for (let t = 0; t < seq; t++) {
      if (mask[b * seq + t] === 0) continue;
      at = t;
      if (!last) break;
    }
    const base = (b * seq + Math.max(at, 0)) * hidden;
    out.push(at < 0 ? new Float32Array(hidden) : data.slice(base, base + hidden));
  }
  return out;
}

/** Element-wise maximum over unmasked positions. */
function maxPool(data: Float32Array, mask: ArrayLike<number>, batch: number, seq: number, hidden: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(hidden).fill(-Infinity);
    let any = false;
    for (let t = 0; t < seq; t++) {
      if (mask[b * seq + t] === 0) continue;
      any = true;
      const base = (b * seq + t) * hidden;
      for (let h = 0; h < hidden; h++) if (data[base + h]! > v[h]!) v[h] = data[base + h]!;
    }
    out.push(any ? v : new Float32Array(hidden));
  }
  return out;
}

/** Pools a row-major `[batch, seq, hidden]` tensor with the given method. */
export function pool(
  method: Pooling,
  data: Float32Array,
  mask: ArrayLike<number>,
  batch: number,
  seq: number,
  hidden: number,
): Float32Array[] {
  switch (method) {
    case 'mean':
      return meanPool(data, mask, batch, seq, hidden);
    case 'cls':
      return pickPool(data, mask, batch, seq, hidden, false);
    case 'lasttoken':
      return pickPool(data, mask, batch, seq, hidden, true);
    case 'max':
      return maxPool(data, mask, batch, seq, hidden);
  }
}
