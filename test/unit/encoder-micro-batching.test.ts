import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis } from '../../inference/encoder/featurize.ts';
import { createMicroBatcher } from '../../inference/micro-batcher.ts';
import { createOnnxEncoder } from '../../inference/encoder/onnx-encoder.ts';
import { trainModel } from '../../inference/training/train-model.ts';

function analyze(text: string): Analysis {
  const normalized = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const tokens = normalized ? normalized.split(' ') : [];
  return { normalized, tokens, stems: tokens, concepts: [] };
}

test('concurrent encode() calls are merged into one session run, with the same vectors', async () => {
  const groups = [
    { key: 'a', texts: [{ text: 'пенсия по возрасту', lang: 'ru' as const }, { text: 'зейнетақы жасы', lang: 'kk' as const }] },
    { key: 'b', texts: [{ text: 'пособие на ребенка', lang: 'ru' as const }, { text: 'бала жәрдемақысы', lang: 'kk' as const }] },
  ];
  const m = trainModel({ corpus: groups, kb: [] }, analyze, { dim: 16, batchSize: 2, corpusEpochs: 5 });
  const encoder = await createOnnxEncoder({ onnx: m.onnx, meta: m.meta }, analyze);
  try {
    const texts = ['пенсия', 'пособие на ребенка', 'зейнетақы', 'бала', 'пенсия по возрасту когда'];
    const alone: Float32Array[] = [];
    for (const t of texts) alone.push((await encoder.encode([t], 'query'))[0]!);
    const before = encoder.batchStats().runs;
    const together = await Promise.all(texts.map((t) => encoder.encode([t], 'query')));
    assert.equal(encoder.batchStats().runs - before, 1, 'five concurrent calls, one run');
    together.forEach((v, i) => v[0]!.forEach((x, d) => assert.ok(Math.abs(x - alone[i]![d]!) < 1e-6)));
  } finally {
    await encoder.close();
  }
  await assert.rejects(encoder.encode(['after close'], 'query'));
});

test('requests arriving during a run go out together in the next run', async () => {
  const runs: number[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const batcher = createMicroBatcher<number, number>(
    async (items) => {
      runs.push(items);
      if (runs.length === 1) await gate;
      return items.map((x) => x * 2);
    },
    { windowMs: 0, maxItems: 100 },
  );
  const first = batcher.submit([1]);
  await new Promise((r) => setImmediate(r));
  const later = [batcher.submit([2, 3]), batcher.submit([4])];
  release();
  assert.deepEqual(await first, [2]);
  assert.deepEqual(await Promise.all(later), [[4, 6], [8]]);
  assert.deepEqual(runs, [[1], [2, 3, 4]]);
  await batcher.close();
});

test('a failing run rejects every request it carried', async () => {
  const batcher = createMicroBatcher<number, number>(async () => {
    throw new Error('boom');
  }, { windowMs: 0, maxItems: 10 });
  const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([2])]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  await batcher.close();
});

test('close() rejects what is queued, lets the run in flight finish and refuses new requests', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const firstStarted = new Promise<void>((r) => (started = r));
  const batcher = createMicroBatcher<number, number>(
    async (items) => {
      started();
      await gate;
      return items;
    },
    { maxItems: 2 },
  );
  const inFlight = batcher.submit([1, 2]);
  await firstStarted;
  const queued = batcher.submit([3]);
  const closing = batcher.close();
  await assert.rejects(queued, /closed/);
  release();
  assert.deepEqual(await inFlight, [1, 2]);
  await closing;
  await assert.rejects(batcher.submit([4]), /closed/);
  assert.deepEqual(batcher.stats(), { runs: 1, items: 2 });
});

test('with a window, requests a few milliseconds apart share one run', async () => {
  const runs: number[][] = [];
  const batcher = createMicroBatcher<number, number>(async (items) => (runs.push(items), items), { windowMs: 40 });
  const first = batcher.submit([1]);
  await new Promise((r) => setTimeout(r, 10));
  const second = batcher.submit([2]);
  assert.deepEqual(await Promise.all([first, second]), [[1], [2]]);
  assert.deepEqual(runs, [[1, 2]]);
  await batcher.close();
});
