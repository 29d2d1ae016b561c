/**
 * The encoder's parameters and its forward pass in plain TypeScript: an embedding bag (weighted
 * sum of embedding rows), an optional dense layer with tanh, then L2 normalisation. Training uses
 * this forward pass; the runtime uses the ONNX export of the same computation, and a test holds
 * the two equal.
 */
import type { Features } from './featurize.ts';
import type { Rng } from './prng.ts';

export interface DenseLayer {
  /** Row-major `[dim, out]`. */
  weight: Float32Array;
  bias: Float32Array;
  out: number;
}

export interface EncoderWeights {
  /** Rows of the embedding table including the padding row 0. */
  rows: number;
  dim: number;
  /** Row-major `[rows, dim]`; row 0 stays zero. */
  embedding: Float32Array;
  /** Residual tanh layer (`h = z + tanh(zW + b)`) or none. */
  dense: DenseLayer | null;
}

/** Output dimension of the encoder. */
export function outputDim(w: EncoderWeights): number {
  return w.dense ? w.dense.out : w.dim;
}

/** Small random initialisation (scaled so a typical bag starts with a norm near 1). */
export function initWeights(rows: number, dim: number, useDense: boolean, rng: Rng): EncoderWeights {
  const embedding = new Float32Array(rows * dim);
  // Uniform with the variance of N(0, 1/dim): as good a start as a normal, and much cheaper for
  // tables of millions of values.
  const half = Math.sqrt(3 / dim);
  for (let i = dim; i < embedding.length; i++) embedding[i] = (2 * rng.next() - 1) * half;
  let dense: DenseLayer | null = null;
  if (useDense) {
    // Starts near zero so the residual layer begins as the identity and learns only what helps.
    const weight = new Float32Array(dim * dim);
    for (let i = 0; i < weight.length; i++) weight[i] = rng.normal() * 0.01;
    dense = { weight, bias: new Float32Array(dim), out: dim };
  }
  return { rows, dim, embedding, dense };
}

/** Weighted sum of embedding rows into `out` (length dim). */
export function pool(w: EncoderWeights, f: Features, out: Float32Array): void {
  const { dim, embedding } = w;
  out.fill(0);
  for (let k = 0; k < f.ids.length; k++) {
    const weight = f.weights[k]!;
    if (weight === 0) continue;
    const base = f.ids[k]! * dim;
    for (let d = 0; d < dim; d++) out[d]! += weight * embedding[base + d]!;
  }
}

/** `h = z + tanh(zW + b)`; `pre` receives tanh's output for the backward pass. */
export function denseForward(layer: DenseLayer, z: Float32Array, h: Float32Array, act: Float32Array): void {
  const dim = z.length;
  const { out, weight, bias } = layer;
  for (let j = 0; j < out; j++) act[j] = bias[j]!;
  for (let i = 0; i < dim; i++) {
    const zi = z[i]!;
    if (zi === 0) continue;
    const base = i * out;
    for (let j = 0; j < out; j++) act[j]! += zi * weight[base + j]!;
  }
  for (let j = 0; j < out; j++) {
    act[j] = Math.tanh(act[j]!);
    h[j] = z[j]! + act[j]!;
  }
}

/** Normalises `v` in place; returns the norm before normalisation (0 stays 0). */
export function l2normalize(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 1e-12) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return n;
}

/** The reference forward pass: one L2-normalised vector per feature set. */
export function forward(w: EncoderWeights, batch: readonly Features[]): Float32Array[] {
  const z = new Float32Array(w.dim);
  const act = new Float32Array(outputDim(w));
  return batch.map((f) => {
    pool(w, f, z);
    const y = new Float32Array(outputDim(w));
    if (w.dense) denseForward(w.dense, z, y, act);
    else y.set(z);
    l2normalize(y);
    return y;
  });
}
