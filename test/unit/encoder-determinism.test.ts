import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis } from '../../inference/encoder/featurize.ts';
import { trainModel } from '../../inference/encoder/train-model.ts';

function analyze(text: string): Analysis {
  const normalized = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const tokens = normalized ? normalized.split(' ') : [];
  return { normalized, tokens, stems: tokens, concepts: [] };
}

const corpus = [
  { key: 'a', texts: [{ text: 'справка о несудимости', lang: 'ru' as const }, { text: 'соттылығы жоғы туралы анықтама', lang: 'kk' as const }] },
  { key: 'b', texts: [{ text: 'адресная справка', lang: 'ru' as const }, { text: 'мекенжай анықтамасы', lang: 'kk' as const }] },
  { key: 'c', texts: [{ text: 'свидетельство о браке', lang: 'ru' as const }, { text: 'неке туралы куәлік', lang: 'kk' as const }] },
];
const kb = [{ key: 'kb:x', texts: [{ text: 'Как получить справку о несудимости?', lang: 'ru' as const }] }, { key: 'kb:y', texts: [{ text: 'Брак', lang: 'ru' as const }] }];

test('training is deterministic for a fixed seed', () => {
  const opts = { dim: 16, batchSize: 4, corpusEpochs: 10, kbEpochs: 10, seed: 3, dense: true };
  const a = trainModel({ corpus, kb }, analyze, opts);
  const b = trainModel({ corpus, kb }, analyze, opts);
  assert.deepEqual(Buffer.from(a.onnx), Buffer.from(b.onnx));
  assert.deepEqual(a.meta, b.meta);
  const c = trainModel({ corpus, kb }, analyze, { ...opts, seed: 4 });
  assert.notDeepEqual(Buffer.from(a.onnx), Buffer.from(c.onnx));
});
