import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KbEntry, StoredKbEntry } from '../../core/kb.ts';
import type { KnowledgeBase, Logger, ModelStore } from '../../core/ports.ts';
import type { Analysis } from '../../inference/encoder/featurize.ts';
import { createInference } from '../../inference/index.ts';
import { tinyEncoderOnnx, wordPieceTokenizerJson, writeModelFolder } from './pretrained-fixtures.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function analyze(text: string): Analysis {
  const normalized = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const tokens = normalized ? normalized.split(' ') : [];
  return { normalized, tokens, stems: tokens, concepts: [] };
}

const WORDS = ['passport', 'pension', 'fines', 'travel', 'abroad', 'age', 'retire', 'traffic', 'car', 'weather', 'visa', 'loan', 'how', 'get', 'check', 'my'];
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...WORDS];
/** One direction per topic, so the tiny "pretrained" model embeds topics apart. */
const TOPIC: Record<string, number> = { passport: 0, travel: 0, abroad: 0, pension: 1, age: 1, retire: 1, fines: 2, traffic: 2, car: 2, weather: 3, visa: 4, loan: 5 };
const EMB = VOCAB.map((t) => Array.from({ length: 8 }, (_, d) => (TOPIC[t] === d ? 5 : t.startsWith('[') ? 0 : 0.1)));

const entry = (id: string, question: string, alts: string[]): KbEntry => ({ id, lang: 'en', question, answer: `${question} See the portal.`, altQuestions: alts, sourceUrl: null, category: null, enabled: true });
const ENTRIES = [
  entry('passport', 'how get passport', ['passport travel abroad', 'my passport']),
  entry('pension', 'pension age', ['retire age', 'how retire pension']),
  entry('fines', 'check traffic fines', ['car fines', 'my traffic fines']),
];
const rows: StoredKbEntry[] = ENTRIES.map((e) => ({ ...e, version: 1, createdAt: new Date(0), updatedAt: new Date(0) }));
const kb: KnowledgeBase = {
  version: async () => 1,
  list: async () => rows,
  get: async (id, lang) => rows.find((r) => r.id === id && r.lang === lang),
  import: async () => ({ inserted: 0, updated: 0, unchanged: 0, removed: 0, kbVersion: 1 }),
  lexicalSearch: async () => [],
};
const models: ModelStore = {
  latest: async () => undefined,
  newest: async () => undefined,
  exclusively: async () => assert.fail('a pretrained encoder is never trained'),
  save: async () => assert.fail('a pretrained encoder is never trained or saved'),
  vectors: async () => [],
  saveVectors: async () => assert.fail('no vectors are saved for a pretrained encoder'),
};

test('with modelDir, createInference uses the pretrained encoder: no training, calibrated hybrid retrieval', async () => {
  const root = await mkdtemp(join(tmpdir(), 'komek-pretrained-inference-'));
  const dir = await writeModelFolder(join(root, 'model'), { onnx: tinyEncoderOnnx({ embeddings: EMB }), tokenizer: wordPieceTokenizerJson(VOCAB) });
  const corpus = [
    { service: 'weather', category: 'x', texts: { kk: ['weather'], ru: ['weather'], en: ['weather', 'weather my'] } },
    { service: 'visa', category: 'x', texts: { kk: ['visa'], ru: ['visa'], en: ['visa', 'how get visa'] } },
    { service: 'loan', category: 'x', texts: { kk: ['loan'], ru: ['loan'], en: ['loan', 'my loan'] } },
  ];
  const inference = createInference({ kb, models, logger: silent, options: { modelDir: dir, analyzer: analyze, corpus: async () => corpus } });
  try {
    await inference.ensureCurrent();
    for (const [text, want] of [['travel abroad passport', 'passport'], ['retire', 'pension'], ['car traffic', 'fines']] as const) {
      const got = await inference.retriever.retrieve(text, { lang: 'en' });
      assert.equal(got[0]?.faqId, want, `${text}: ${JSON.stringify(got)}`);
      assert.ok(got.every((c) => c.score >= 0 && c.score <= 1));
    }
    await assert.rejects(inference.train(), /pretrained/);
  } finally {
    await inference.close();
    await rm(root, { recursive: true, force: true });
  }
});
