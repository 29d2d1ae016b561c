/**
 * Contrastive training of the encoder in plain TypeScript. Each step takes B groups (a corpus
 * service, or a knowledge-base entry in all its languages), draws two texts of each — an anchor,
 * often noised, and a clean positive — and minimises the symmetric in-batch softmax loss: each
 * anchor must pick its own positive among the B, and each positive its anchor. The other groups
 * of the batch are the negatives.
 */
import type { Lang } from '../../core/lang.ts';
import { adamAll, adamRows, createAdamState, DEFAULT_ADAM, type AdamOptions } from './adam.ts';
import type { Features } from '../encoder/featurize.ts';
import { denseForward, initWeights, outputDim, pool, type EncoderWeights } from '../encoder/model.ts';
import { createRng, type Rng } from '../encoder/prng.ts';

/** One text of a group, already featurized: variant 0 is the clean text, others are noised. */
export interface TrainingItem {
  lang: Lang;
  variants: Features[];
}

/** Texts that mean the same thing: positives for each other, negatives for every other group. */
export interface TrainingGroup {
  key: string;
  items: TrainingItem[];
}

/** A run over one list of groups. Groups of different phases never meet in a batch. */
export interface TrainingPhase {
  name: string;
  groups: TrainingGroup[];
  steps: number;
  lr?: number;
}

export interface TrainerOptions {
  seed: number;
  dim: number;
  dense: boolean;
  batchSize: number;
  temperature: number;
  /** Probability that an anchor is a noised variant rather than the clean text. */
  noisyAnchor: number;
  /** Probability of dropping each feature of a training text (regularises like word dropout). */
  featureDropout: number;
  adam?: Partial<AdamOptions>;
  onStep?: (phase: string, done: number, total: number, loss: number) => void;
}

interface Workspace {
  z: Float32Array[];
  act: Float32Array[];
  y: Float32Array[];
  norm: Float64Array;
  feats: Features[];
}

function workspace(n: number, dim: number, out: number): Workspace {
  return {
    z: Array.from({ length: n }, () => new Float32Array(dim)),
    act: Array.from({ length: n }, () => new Float32Array(out)),
    y: Array.from({ length: n }, () => new Float32Array(out)),
    norm: new Float64Array(n),
    feats: new Array<Features>(n),
  };
}

function encodeInto(w: EncoderWeights, ws: Workspace, k: number): void {
  const f = ws.feats[k]!;
  const z = ws.z[k]!;
  const y = ws.y[k]!;
  pool(w, f, z);
  if (w.dense) denseForward(w.dense, z, y, ws.act[k]!);
  else y.set(z);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * y[i]!;
  const n = Math.sqrt(s);
  ws.norm[k] = n;
  if (n > 1e-12) for (let i = 0; i < y.length; i++) y[i]! /= n;
}

/** A copy of `f` without a random share `p` of its features. */
function dropFeatures(f: Features, p: number, rng: Rng): Features {
  if (p <= 0 || f.ids.length < 2) return f;
  const ids: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < f.ids.length; i++) {
    if (rng.next() < p) continue;
    ids.push(f.ids[i]!);
    weights.push(f.weights[i]! / (1 - p));
  }
  if (ids.length === 0) return f;
  return { ids: Int32Array.from(ids), weights: Float32Array.from(weights) };
}

/** Picks anchor and positive features for a group. */
function drawPair(group: TrainingGroup, rng: Rng, noisyAnchor: number): [Features, Features] {
  const items = group.items;
  const a = rng.int(items.length);
  let p = a;
  if (items.length > 1) {
    p = rng.int(items.length - 1);
    if (p >= a) p++;
  }
  const anchorItem = items[a]!;
  const useNoise = anchorItem.variants.length > 1 && rng.next() < noisyAnchor;
  const anchor = useNoise ? anchorItem.variants[1 + rng.int(anchorItem.variants.length - 1)]! : anchorItem.variants[0]!;
  // With one text in the group, the pair is the text and a noised copy of it.
  const positiveItem = items[p]!;
  const positive = p === a && positiveItem.variants.length > 1 && !useNoise
    ? positiveItem.variants[1 + rng.int(positiveItem.variants.length - 1)]!
    : positiveItem.variants[0]!;
  return [anchor, positive];
}

/**
 * Trains weights for a vocabulary of `rows` rows over the phases in order; returns the weights
 * and the mean loss of the last 50 steps of each phase.
 */
export function trainEncoder(rows: number, phases: TrainingPhase[], opts: TrainerOptions): { weights: EncoderWeights; losses: Record<string, number> } {
  const rng = createRng(opts.seed);
  const w = initWeights(rows, opts.dim, opts.dense, rng);
  const dim = opts.dim;
  const out = outputDim(w);
  const adam = { ...DEFAULT_ADAM, ...opts.adam };
  const embState = createAdamState(rows, dim);
  const embGrad = new Float32Array(rows * dim);
  const touched = new Uint8Array(rows);
  const denseState = w.dense ? createAdamState(1, dim * out) : null;
  const biasState = w.dense ? createAdamState(1, out) : null;
  const denseGrad = w.dense ? new Float32Array(dim * out) : null;
  const biasGrad = w.dense ? new Float32Array(out) : null;
  const B = opts.batchSize;
  const ws = workspace(2 * B, dim, out);
  const dy = Array.from({ length: 2 * B }, () => new Float32Array(out));
  const dz = new Float32Array(dim);
  const dpre = new Float32Array(out);
  const S = new Float64Array(B * B);
  const losses: Record<string, number> = {};
  const invT = 1 / opts.temperature;

  for (const phase of phases) {
    const groups = phase.groups.filter((g) => g.items.length > 0);
    if (groups.length < 2 || phase.steps <= 0) continue;
    const order = rng.shuffle(groups.map((_, i) => i));
    let cursor = 0;
    const recent: number[] = [];
    const stepAdam = { ...adam, lr: phase.lr ?? adam.lr };
    for (let step = 0; step < phase.steps; step++) {
      const b = Math.min(B, groups.length);
      for (let i = 0; i < b; i++) {
        if (cursor >= order.length) {
          rng.shuffle(order);
          cursor = 0;
        }
        const [anchor, positive] = drawPair(groups[order[cursor++]!]!, rng, opts.noisyAnchor);
        ws.feats[i] = dropFeatures(anchor, opts.featureDropout, rng);
        ws.feats[B + i] = dropFeatures(positive, opts.featureDropout, rng);
      }
      // A batch that wrapped around the epoch may hold one group twice; that pair is then a false
      // negative, rare enough (≤ 1 per epoch boundary) to leave alone.
      for (let i = 0; i < b; i++) {
        encodeInto(w, ws, i);
        encodeInto(w, ws, B + i);
      }
      // Similarities and the symmetric softmax loss.
      let loss = 0;
      for (let i = 0; i < b; i++) {
        const ya = ws.y[i]!;
        for (let j = 0; j < b; j++) {
          const yp = ws.y[B + j]!;
          let s = 0;
          for (let d = 0; d < out; d++) s += ya[d]! * yp[d]!;
          S[i * B + j] = s * invT;
        }
      }
      for (let k = 0; k < 2 * B; k++) dy[k]!.fill(0);
      const G = new Float64Array(b * b);
      for (let i = 0; i < b; i++) {
        let max = -Infinity;
        for (let j = 0; j < b; j++) max = Math.max(max, S[i * B + j]!);
        let sum = 0;
        for (let j = 0; j < b; j++) sum += Math.exp(S[i * B + j]! - max);
        loss += -(S[i * B + i]! - max - Math.log(sum)) / (2 * b);
        for (let j = 0; j < b; j++) G[i * b + j]! += (Math.exp(S[i * B + j]! - max) / sum - (i === j ? 1 : 0)) / (2 * b);
      }
      for (let j = 0; j < b; j++) {
        let max = -Infinity;
        for (let i = 0; i < b; i++) max = Math.max(max, S[i * B + j]!);
        let sum = 0;
        for (let i = 0; i < b; i++) sum += Math.exp(S[i * B + j]! - max);
        loss += -(S[j * B + j]! - max - Math.log(sum)) / (2 * b);
        for (let i = 0; i < b; i++) G[i * b + j]! += (Math.exp(S[i * B + j]! - max) / sum - (i === j ? 1 : 0)) / (2 * b);
      }
      for (let i = 0; i < b; i++) {
        const dya = dy[i]!;
        const ya = ws.y[i]!;
        for (let j = 0; j < b; j++) {
          const g = G[i * b + j]! * invT;
          if (g === 0) continue;
          const yp = ws.y[B + j]!;
          const dyp = dy[B + j]!;
          for (let d = 0; d < out; d++) {
            dya[d]! += g * yp[d]!;
            dyp[d]! += g * ya[d]!;
          }
        }
      }
      // Back through normalisation, the dense layer and the bag.
      const rowsThisStep: number[] = [];
      for (const k of [...Array(b).keys(), ...Array.from({ length: b }, (_, i) => B + i)]) {
        const y = ws.y[k]!;
        const g = dy[k]!;
        const n = ws.norm[k]!;
        if (n <= 1e-12) continue;
        let dot = 0;
        for (let d = 0; d < out; d++) dot += y[d]! * g[d]!;
        for (let d = 0; d < out; d++) g[d] = (g[d]! - y[d]! * dot) / n;
        if (w.dense && denseGrad && biasGrad) {
          const act = ws.act[k]!;
          const z = ws.z[k]!;
          for (let j = 0; j < out; j++) dpre[j] = g[j]! * (1 - act[j]! * act[j]!);
          for (let j = 0; j < out; j++) biasGrad[j]! += dpre[j]!;
          const W = w.dense.weight;
          for (let i = 0; i < dim; i++) {
            const zi = z[i]!;
            const base = i * out;
            let acc = g[i]!;
            for (let j = 0; j < out; j++) {
              denseGrad[base + j]! += zi * dpre[j]!;
              acc += W[base + j]! * dpre[j]!;
            }
            dz[i] = acc;
          }
        } else {
          dz.set(g);
        }
        const f = ws.feats[k]!;
        for (let t = 0; t < f.ids.length; t++) {
          const row = f.ids[t]!;
          const wt = f.weights[t]!;
          if (row === 0 || wt === 0) continue;
          if (!touched[row]) {
            touched[row] = 1;
            rowsThisStep.push(row);
          }
          const base = row * dim;
          for (let d = 0; d < dim; d++) embGrad[base + d]! += wt * dz[d]!;
        }
      }
      rowsThisStep.sort((a, b2) => a - b2);
      adamRows(w.embedding, embGrad, embState, rowsThisStep, stepAdam);
      for (const row of rowsThisStep) touched[row] = 0;
      if (w.dense && denseGrad && biasGrad && denseState && biasState) {
        adamAll(w.dense.weight, denseGrad, denseState, stepAdam);
        adamAll(w.dense.bias, biasGrad, biasState, stepAdam);
      }
      recent.push(loss);
      if (recent.length > 50) recent.shift();
      opts.onStep?.(phase.name, step + 1, phase.steps, loss);
    }
    losses[phase.name] = recent.reduce((a, c) => a + c, 0) / Math.max(1, recent.length);
  }
  return { weights: w, losses };
}
