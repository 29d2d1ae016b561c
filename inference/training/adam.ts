/**
 * Adam for the encoder. The embedding table is updated lazily: only rows that appeared in the
 * batch move (their moments decay only when they are used), which keeps a step proportional to
 * the batch rather than to the table.
 */

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const DEFAULT_ADAM: AdamOptions = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Adam state for one parameter array. */
export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** Per-row step counts (lazy rows get their own bias correction). */
  steps: Int32Array;
  width: number;
}

/** State for a parameter of `rows × width` values. */
export function createAdamState(rows: number, width: number): AdamState {
  return { m: new Float32Array(rows * width), v: new Float32Array(rows * width), steps: new Int32Array(rows), width };
}

/** Updates the listed rows of `param` from `grad`, then zeroes those rows of `grad`. */
export function adamRows(param: Float32Array, grad: Float32Array, state: AdamState, rowsToUpdate: ArrayLike<number>, opts: AdamOptions): void {
  const { m, v, steps, width } = state;
  const { lr, beta1, beta2, eps } = opts;
  for (let r = 0; r < rowsToUpdate.length; r++) {
    const row = rowsToUpdate[r]!;
    const t = ++steps[row]!;
    const c1 = 1 / (1 - Math.pow(beta1, t));
    const c2 = 1 / (1 - Math.pow(beta2, t));
    const base = row * width;
    for (let i = base; i < base + width; i++) {
      const g = grad[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i]! -= (lr * mi * c1) / (Math.sqrt(vi * c2) + eps);
      grad[i] = 0;
    }
  }
}

/** Dense update of a whole parameter (viewed as one row). */
export function adamAll(param: Float32Array, grad: Float32Array, state: AdamState, opts: AdamOptions): void {
  adamRows(param, grad, state, [0], opts);
}
