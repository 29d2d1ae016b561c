import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBm25Index, charTrigrams } from '../../inference/retrieval/bm25.ts';
import { createDenseIndex } from '../../inference/retrieval/dense-index.ts';
import { firstSentence } from '../../inference/retrieval/kb-texts.ts';
import { fitLogistic, predict } from '../../inference/retrieval/logistic.ts';

test('BM25 ranks the document sharing the rarer query terms first', () => {
  const index = createBm25Index([
    ['как', 'получить', 'паспорт'],
    ['как', 'получить', 'справку', 'о', 'несудимости'],
    ['как', 'оформить', 'пенсию'],
  ]);
  const hits = index.search(['справку', 'как'], 10);
  assert.equal(hits[0]![0], 1);
  assert.equal(hits.length, 3, 'every document with a query term is scored');
  assert.deepEqual(index.search(['нет'], 10), []);
});

test('character trigrams mark word edges', () => {
  assert.deepEqual(charTrigrams('ab cd'), [' ab', 'ab ', 'b c', ' cd', 'cd ']);
});

test('dense index: best text per entry, same-language and cross-language scores, extra ids', async () => {
  const v = (...xs: number[]) => {
    const a = Float32Array.from(xs);
    const n = Math.hypot(...a);
    return a.map((x) => x / n);
  };
  const index = await createDenseIndex(
    [
      { faqId: 'a', lang: 'ru', vector: v(1, 0, 0) },
      { faqId: 'a', lang: 'kk', vector: v(0.9, 0.1, 0) },
      { faqId: 'b', lang: 'ru', vector: v(0, 1, 0) },
      { faqId: 'c', lang: 'ru', vector: v(0, 0, 1) },
    ],
    3,
  );
  const hits = await index.search(v(1, -0.2, 0), 'kk', 1, ['c']);
  assert.equal(hits[0]!.faqId, 'a');
  assert.ok(hits[0]!.any > hits[0]!.same, 'the Russian text is closer than the Kazakh one');
  assert.equal(hits[1]!.faqId, 'c', 'an included id comes after the top hits');
  assert.equal(hits[1]!.same, -1, 'c has no Kazakh text');
  // The onnxruntime scan gives the same hits as the JavaScript loop.
  const rows = Array.from({ length: 50 }, (_, i) => ({ faqId: `e${i % 17}`, lang: (['kk', 'ru', 'en'] as const)[i % 3]!, vector: v(Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7) + 0.1) }));
  const viaJs = await createDenseIndex(rows, 3);
  const viaOnnx = await createDenseIndex(rows, 3, { onnxMinValues: 1 });
  const q = v(0.3, -0.5, 0.8);
  const [a, b] = [await viaJs.search(q, 'ru', 5), await viaOnnx.search(q, 'ru', 5)];
  assert.deepEqual(a.map((h) => h.faqId), b.map((h) => h.faqId));
  a.forEach((h, i) => assert.ok(Math.abs(h.any - b[i]!.any) < 1e-5 && Math.abs(h.same - b[i]!.same) < 1e-5));
  // Concurrent searches (the scorer runs many at once) each get their own results.
  const queries = Array.from({ length: 12 }, (_, i) => v(Math.cos(i), Math.sin(i * 2), 0.5 - i / 12));
  for (const index of [viaJs, viaOnnx]) {
    const sequential = [];
    for (const query of queries) sequential.push(await index.search(query, 'kk', 3));
    assert.deepEqual(await Promise.all(queries.map((query) => index.search(query, 'kk', 3))), sequential);
  }
  await viaOnnx.close();
  await viaOnnx.close();
});

test('logistic calibration learns a monotone confidence', () => {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 200; i++) {
    const x = i / 200;
    xs.push([x]);
    ys.push(x > 0.5 ? (i % 10 === 0 ? 0 : 1) : i % 10 === 0 ? 1 : 0);
  }
  const m = fitLogistic(['x'], xs, ys);
  assert.ok(predict(m, [0.9]) > 0.8);
  assert.ok(predict(m, [0.1]) < 0.2);
  assert.ok(Math.abs(predict(m, [0.5]) - 0.5) < 0.1);
});

test('first sentence of an answer', () => {
  assert.equal(firstSentence('Подайте заявление в ЦОН. Срок 5 дней.'), 'Подайте заявление в ЦОН.');
  assert.equal(firstSentence('Без точки'), 'Без точки');
});
