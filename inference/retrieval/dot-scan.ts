/**
 * Dot products of one query with every row of a small matrix (below the onnxruntime threshold of
 * dense-index.ts): the dense index's scan, run per question over the knowledge base and over the
 * background. A WebAssembly SIMD kernel does it about four times faster than the JavaScript loop
 * (3,305 rows × 128, the demo knowledge base and its background: 0.13–0.17 ms against 0.54 ms
 * per scan; 8,192 rows: 0.7 ms against 3.5 ms), with the very same arithmetic, so every
 * similarity is bit for bit the JavaScript loop's: each float32 value is widened to float64, the
 * products are summed into four float64 accumulators (dimension d into accumulator d mod 4, the
 * leftover dimensions into the first), the accumulators are added in order and the sum is
 * rounded to float32. WebAssembly never fuses a multiply and an add, so the rounding is the same
 * as in JavaScript. Without WebAssembly SIMD the JavaScript loop runs.
 */

export interface DotScanner {
  /** Similarities of `query` (length dim) with each row, in a buffer reused by the next scan. */
  scan(query: Float32Array): Float32Array;
  /** Which implementation runs (for tests and benchmarks). */
  readonly kind: 'wasm-simd' | 'js';
}

/** The reference loop: the arithmetic the SIMD kernel reproduces. */
export function jsDots(matrix: Float32Array, rows: number, dim: number, query: Float32Array, out: Float32Array): Float32Array {
  // Four accumulators: independent additions the JIT can pipeline (about 2x over one sum).
  const tail = dim - (dim % 4);
  for (let t = 0; t < rows; t++) {
    const base = t * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < tail; d += 4) {
      s0 += matrix[base + d]! * query[d]!;
      s1 += matrix[base + d + 1]! * query[d + 1]!;
      s2 += matrix[base + d + 2]! * query[d + 2]!;
      s3 += matrix[base + d + 3]! * query[d + 3]!;
    }
    for (let d = tail; d < dim; d++) s0 += matrix[base + d]! * query[d]!;
    out[t] = s0 + s1 + s2 + s3;
  }
  return out;
}

/** A scanner over `matrix` (row-major rows × dim; copied when the SIMD kernel is used). */
export function createDotScanner(matrix: Float32Array, rows: number, dim: number, opts: { simd?: boolean } = {}): DotScanner {
  if (opts.simd ?? true) {
    const simd = simdScanner(matrix, rows, dim);
    if (simd) return simd;
  }
  const out = new Float32Array(rows);
  return { kind: 'js', scan: (query) => jsDots(matrix, rows, dim, query, out) };
}

/*
 * The kernel, in WebAssembly text form (params m, q, out, rows, dim; m: float32 rows, 16-byte
 * aligned; q: the query widened to float64; out: float32 results):
 *
 *   if rows == 0: return
 *   o = out; oEnd = out + rows*4; i = m
 *   loop row:
 *     acc01 = acc23 = f64x2(0, 0); p = q
 *     end4 = i + (dim & ~3)*4; end = i + dim*4
 *     while i < end4:                                  ;; four dimensions per step
 *       v = v128.load(i)
 *       acc01 += f64x2.promote_low_f32x4(v) * v128.load(p)
 *       acc23 += f64x2.promote_low_f32x4(shuffle(v, lanes 2,3)) * v128.load(p + 16)
 *       i += 16; p += 32
 *     s0 = acc01[0]
 *     while i < end: s0 += f64(f32.load(i)) * f64.load(p); i += 4; p += 8
 *     f32.store(o, f32.demote(((s0 + acc01[1]) + acc23[0]) + acc23[1]))
 *     o += 4; if o < oEnd: continue row
 */
// Compiled once per process: compiled code holds no state (each index gets its own instance and
// memory); null when this runtime has no WebAssembly SIMD.
let kernel: WebAssembly.Module | null | undefined;

function simdScanner(matrix: Float32Array, rows: number, dim: number): DotScanner | null {
  kernel ??= compileKernel();
  if (!kernel || rows === 0) return null;
  // Layout: query (float64) at 0, results after it, the matrix at the next 16-byte boundary.
  const outAt = dim * 8;
  const matrixAt = Math.ceil((outAt + rows * 4) / 16) * 16;
  let instance: WebAssembly.Instance;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil((matrixAt + rows * dim * 4) / 65536) });
    instance = new WebAssembly.Instance(kernel, { env: { memory } });
  } catch {
    return null; // too large for one WebAssembly memory: the JavaScript loop still works
  }
  new Float32Array(memory.buffer, matrixAt, rows * dim).set(matrix.subarray(0, rows * dim));
  const q = new Float64Array(memory.buffer, 0, dim);
  const out = new Float32Array(memory.buffer, outAt, rows);
  const dots = instance.exports.dots as (m: number, q: number, out: number, rows: number, dim: number) => void;
  return {
    kind: 'wasm-simd',
    scan(query) {
      q.set(query);
      dots(matrixAt, 0, outAt, rows, dim);
      return out;
    },
  };
}

function compileKernel(): WebAssembly.Module | null {
  try {
    const bytes = kernelBytes();
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const VOID_BLOCK = 0x40;
const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, brIf: 0x0d, get: 0x20, set: 0x21, tee: 0x22,
  f32Load: 0x2a, f64Load: 0x2b, f32Store: 0x38, i32Const: 0x41, i32Eqz: 0x45, i32LtU: 0x49, i32GeU: 0x4f,
  i32Add: 0x6a, i32And: 0x71, i32Shl: 0x74, f64Add: 0xa0, f64Mul: 0xa2, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
} as const;
const simd = (code: number, ...immediates: number[]) => [0xfd, ...uleb(code), ...immediates];
const V128_LOAD = (offset: number) => simd(0x00, 4, ...uleb(offset));
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const HIGH_HALF = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
const PROMOTE_LOW = simd(0x5f);
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
const LANE = (lane: number) => simd(0x21, lane);

// Locals: params 0 m, 1 q, 2 out, 3 rows, 4 dim; then i32 5 i, 6 p, 7 end4, 8 end, 9 o, 10 oEnd;
// f64 11 s0; v128 12 acc01, 13 acc23, 14 v.
const [M, Q, OUT, ROWS, DIM, I, P, END4, END, O, O_END, S0, ACC01, ACC23, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] as const;
const get = (l: number) => [OP.get, l];
const set = (l: number) => [OP.set, l];
const i32 = (n: number) => [OP.i32Const, ...sleb(n)];

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

function kernelBytes(): Uint8Array<ArrayBuffer> {
  const body = [
    ...get(ROWS), OP.i32Eqz, OP.brIf, 0,
    ...get(OUT), ...set(O),
    ...get(OUT), ...get(ROWS), ...i32(2), OP.i32Shl, OP.i32Add, ...set(O_END),
    ...get(M), ...set(I),
    OP.loop, VOID_BLOCK,
      ...V128_ZERO, ...set(ACC01), ...V128_ZERO, ...set(ACC23), ...get(Q), ...set(P),
      ...get(I), ...get(DIM), ...i32(-4), OP.i32And, ...i32(2), OP.i32Shl, OP.i32Add, ...set(END4),
      ...get(I), ...get(DIM), ...i32(2), OP.i32Shl, OP.i32Add, ...set(END),
      OP.block, VOID_BLOCK,
        ...get(I), ...get(END4), OP.i32GeU, OP.brIf, 0,
        OP.loop, VOID_BLOCK,
          ...get(I), ...V128_LOAD(0), ...set(V),
          ...get(ACC01), ...get(V), ...PROMOTE_LOW, ...get(P), ...V128_LOAD(0), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC01),
          ...get(ACC23), ...get(V), ...get(V), ...HIGH_HALF, ...PROMOTE_LOW, ...get(P), ...V128_LOAD(16), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC23),
          ...get(P), ...i32(32), OP.i32Add, ...set(P),
          ...get(I), ...i32(16), OP.i32Add, OP.tee, I, ...get(END4), OP.i32LtU, OP.brIf, 0,
        OP.end,
      OP.end,
      ...get(ACC01), ...LANE(0), ...set(S0),
      OP.block, VOID_BLOCK,
        ...get(I), ...get(END), OP.i32GeU, OP.brIf, 0,
        OP.loop, VOID_BLOCK,
          ...get(S0), ...get(I), OP.f32Load, 2, 0, OP.f64PromoteF32, ...get(P), OP.f64Load, 3, 0, OP.f64Mul, OP.f64Add, ...set(S0),
          ...get(P), ...i32(8), OP.i32Add, ...set(P),
          ...get(I), ...i32(4), OP.i32Add, OP.tee, I, ...get(END), OP.i32LtU, OP.brIf, 0,
        OP.end,
      OP.end,
      ...get(O),
      ...get(S0), ...get(ACC01), ...LANE(1), OP.f64Add, ...get(ACC23), ...LANE(0), OP.f64Add, ...get(ACC23), ...LANE(1), OP.f64Add,
      OP.f32DemoteF64, OP.f32Store, 2, 0,
      ...get(O), ...i32(4), OP.i32Add, OP.tee, O, ...get(O_END), OP.i32LtU, OP.brIf, 0,
    OP.end,
    OP.end,
  ];
  const locals = [3, 6, I32, 1, F64, 3, V128];
  const code = [...locals, ...body];
  const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type: (i32 × 5) → ()
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]), // import env.memory, min 1 page
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name('dots'), 0x00, 0]), // export it as "dots"
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}
