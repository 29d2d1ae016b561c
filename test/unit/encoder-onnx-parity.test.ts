import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis } from '../../inference/encoder/featurize.ts';
import { forward } from '../../inference/encoder/model.ts';
import { createOnnxEncoder } from '../../inference/encoder/onnx-encoder.ts';
import { trainModel } from '../../inference/training/train-model.ts';

/** A tiny analyser so the test exercises the encoder alone. */
function analyze(text: string): Analysis {
  const normalized = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const tokens = normalized ? normalized.split(' ') : [];
  return { normalized, tokens, stems: tokens.map((t) => t.slice(0, 5)), concepts: tokens.includes('цон') ? ['con'] : [] };
}

const groups = [
  { key: 'id', texts: [{ text: 'Как получить удостоверение личности?', lang: 'ru' as const }, { text: 'Жеке куәлікті қалай алуға болады?', lang: 'kk' as const }, { text: 'удостоверение в цон', lang: 'ru' as const }] },
  { key: 'pass', texts: [{ text: 'Как получить загранпаспорт?', lang: 'ru' as const }, { text: 'Төлқұжат алу', lang: 'kk' as const }] },
  { key: 'tax', texts: [{ text: 'Как заплатить налог на имущество?', lang: 'ru' as const }, { text: 'Мүлік салығын төлеу', lang: 'kk' as const }] },
];
const probes = ['удостоверение личности', 'zheke kualik', 'налог', '', 'совсем другое сообщение про погоду', 'цон'];

for (const [dense, quantize] of [[false, true], [true, true], [false, false]] as const) {
  test(`ONNX output equals the TypeScript forward pass (dense=${dense}, int8=${quantize})`, async () => {
    const m = trainModel({ corpus: groups, kb: [] }, analyze, { dim: 32, dense, quantize, corpusEpochs: 20, batchSize: 3, seed: 7 });
    const encoder = await createOnnxEncoder({ onnx: m.onnx, meta: m.meta }, analyze);
    try {
      const viaOnnx = await encoder.encode(probes, 'query');
      const viaTs = forward(m.weights, probes.map((p) => encoder.featurizer.featurize(p)));
      let maxDiff = 0;
      viaOnnx.forEach((v, i) => v.forEach((x, d) => (maxDiff = Math.max(maxDiff, Math.abs(x - viaTs[i]![d]!)))));
      assert.ok(maxDiff < 1e-4, `max abs diff ${maxDiff}`);
      assert.equal(viaOnnx[0]!.length, 32);
      // Real vectors are unit length; a text with no known feature gives no NaN (and, without the
      // dense layer's bias, stays zero).
      const norm = Math.hypot(...viaOnnx[0]!);
      assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`);
      assert.ok(viaOnnx[3]!.every((x) => Number.isFinite(x)));
      if (!dense) assert.ok(viaOnnx[3]!.every((x) => x === 0));
    } finally {
      await encoder.close();
      await encoder.close();
    }
  });
}
