import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDenseIndex } from '../../inference/retrieval/dense-index.ts';
import { createDotScanner, jsDots } from '../../inference/retrieval/dot-scan.ts';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 31) - 1);
}

test('the SIMD scan gives bit for bit the JavaScript loop\'s similarities', () => {
  // Dimensions with and without a remainder of 4, one row, odd row counts.
  for (const [rows, dim] of [[1, 4], [3, 1], [5, 2], [7, 3], [9, 5], [4, 6], [11, 7], [2, 8], [13, 9], [257, 128], [33, 130]] as const) {
    const matrix = values(rows * dim, rows * 1000 + dim);
    const simd = createDotScanner(matrix, rows, dim);
    assert.equal(simd.kind, 'wasm-simd', 'Node ≥ 20 has WebAssembly SIMD');
    const js = createDotScanner(matrix, rows, dim, { simd: false });
    assert.equal(js.kind, 'js');
    for (let q = 0; q < 5; q++) {
      const query = values(dim, 7 * q + dim);
      const expected = jsDots(matrix, rows, dim, query, new Float32Array(rows));
      const got = simd.scan(query);
      assert.equal(got.length, rows);
      for (let t = 0; t < rows; t++) assert.ok(Object.is(got[t], expected[t]), `rows ${rows} dim ${dim} row ${t}: ${got[t]} != ${expected[t]}`);
      assert.deepEqual(js.scan(query), expected);
    }
  }
});

test('the SIMD scan adds in the JavaScript loop\'s order', () => {
  // Terms from 2^60 down to 2^-40 cancel and swallow each other, so a sum in any other order
  // (other accumulators, the leftover dimensions elsewhere, another final addition) differs.
  const scale = [2 ** 30, -(2 ** 30), 1, -1, 2 ** -20, 0];
  let s = 11;
  const pick = () => scale[((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) % scale.length]!;
  for (const dim of [4, 5, 7, 8, 12, 13]) {
    const rows = 200;
    const matrix = Float32Array.from({ length: rows * dim }, pick);
    const scanner = createDotScanner(matrix, rows, dim);
    for (let q = 0; q < 20; q++) {
      const query = Float32Array.from({ length: dim }, pick);
      assert.deepEqual(scanner.scan(query), jsDots(matrix, rows, dim, query, new Float32Array(rows)), `dim ${dim}`);
    }
  }
});

test('the scan sums in float64 in the JavaScript loop\'s order (not a float32 sum)', () => {
  // Each 2^-24 added to 1 is lost in a float32 sum; the float64 sum keeps them (1 + 3·2^-24,
  // which rounds to 1 + 2^-22 as float32).
  const matrix = Float32Array.from([1, 2 ** -24, 2 ** -24, 0, 2 ** -24]);
  const query = Float32Array.from([1, 1, 1, 1, 1]);
  const simd = createDotScanner(matrix, 1, 5).scan(query)[0]!;
  assert.equal(simd, Math.fround(1 + 3 * 2 ** -24));
  assert.equal(simd, jsDots(matrix, 1, 5, query, new Float32Array(1))[0]);
});

test('dense index: SIMD, JavaScript and onnxruntime scans rank alike; best() is the top `any`', async () => {
  const langs = ['kk', 'ru', 'en'] as const;
  const dim = 24;
  const rows = Array.from({ length: 90 }, (_, i) => {
    const v = values(dim, i + 1);
    const n = Math.hypot(...v);
    return { faqId: `e${i % 23}`, lang: langs[i % 3]!, vector: v.map((x) => x / n) };
  });
  const simd = await createDenseIndex(rows, dim);
  const js = await createDenseIndex(rows, dim, { simd: false });
  const onnx = await createDenseIndex(rows, dim, { onnxMinValues: 1 });
  try {
    for (let q = 0; q < 10; q++) {
      const query = values(dim, 500 + q);
      const lang = langs[q % 3]!;
      const a = await simd.search(query, lang, 5, ['e1', 'e2', 'nope']);
      assert.deepEqual(a, await js.search(query, lang, 5, ['e1', 'e2', 'nope']));
      const b = await onnx.search(query, lang, 5, ['e1', 'e2', 'nope']);
      assert.deepEqual(a.map((h) => h.faqId), b.map((h) => h.faqId));
      for (const index of [simd, js, onnx]) {
        assert.equal(await index.best(query), (await index.search(query, undefined, 1))[0]!.any);
      }
      assert.equal(await simd.best(query), await js.best(query));
    }
  } finally {
    await onnx.close();
  }
});
