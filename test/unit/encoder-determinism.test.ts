import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis } from '../../inference/encoder/featurize.ts';
import { readDemoKb } from '../../app/services.ts';
import { loadCorpus } from '../../inference/load-corpus.ts';
import { trainModel } from '../../inference/training/train-model.ts';
import { fitRetrieval } from '../../inference/training/fit-retrieval.ts';
import { analyze as analyzeText } from '../../inference/text/index.ts';

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

test('the fitted model depends on the knowledge base’s content, not on the order its entries arrive in', async () => {
  // The database returns entries in its collation's order (en_US and C differ on 'id-card' vs
  // 'idcard'), a file in its own: both must train the same model.
  const entries = (await readDemoKb()).filter((e) => e.lang !== 'en').slice(0, 16);
  const corpus = (await loadCorpus()).slice(0, 40);
  const opts = { seed: 7, train: { corpusEpochs: 1, kbEpochs: 3, dim: 16 } };
  const inOrder = await fitRetrieval(entries, corpus, analyzeText, opts);
  const reversed = await fitRetrieval([...entries].reverse(), corpus, analyzeText, opts);
  assert.deepEqual(Buffer.from(reversed.onnx), Buffer.from(inOrder.onnx));
  assert.deepEqual(reversed.calibration, inOrder.calibration);
});
