/**
 * Logistic regression for calibrated confidences: standardised features, L2-regularised,
 * fitted by Newton's method (a handful of features, a few thousand rows: exact and fast).
 * The fitted model is plain JSON so it travels in the model meta.
 */

export interface LogisticModel {
  features: string[];
  mean: number[];
  std: number[];
  coef: number[];
  bias: number;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** P(label = 1 | x). */
export function predict(model: LogisticModel, x: readonly number[]): number {
  let s = model.bias;
  for (let i = 0; i < model.coef.length; i++) s += (model.coef[i]! * ((x[i] ?? 0) - model.mean[i]!)) / model.std[i]!;
  return sigmoid(s);
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / piv;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/**
 * Fits P(y | x). `l2` is the ridge penalty on standardised coefficients (not on the bias);
 * rows may carry weights (e.g. to balance positives and negatives).
 */
export function fitLogistic(
  features: string[],
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  opts: { l2?: number; weights?: readonly number[]; iterations?: number } = {},
): LogisticModel {
  const d = features.length;
  const n = xs.length;
  const l2 = opts.l2 ?? 1;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const x of xs) for (let j = 0; j < d; j++) mean[j]! += x[j]! / n;
  for (const x of xs) for (let j = 0; j < d; j++) std[j]! += (x[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]!) || 1;
  const z = xs.map((x) => [1, ...x.map((v, j) => (v - mean[j]!) / std[j]!)]);
  let beta = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < (opts.iterations ?? 50); it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      const w = opts.weights?.[i] ?? 1;
      let s = 0;
      for (let j = 0; j <= d; j++) s += beta[j]! * zi[j]!;
      const p = sigmoid(s);
      const r = w * (p - ys[i]!);
      const h = w * p * (1 - p);
      for (let j = 0; j <= d; j++) {
        grad[j]! += r * zi[j]!;
        for (let k = 0; k <= d; k++) hess[j]![k]! += h * zi[j]! * zi[k]!;
      }
    }
    for (let j = 1; j <= d; j++) {
      grad[j]! += l2 * beta[j]!;
      hess[j]![j]! += l2;
    }
    hess[0]![0]! += 1e-9;
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { features, mean, std, coef: beta.slice(1), bias: beta[0]! };
}
